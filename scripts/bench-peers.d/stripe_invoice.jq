# A Stripe invoice -> canonical Invoice, as an integration team would write it
# in jq, for scripts/bench-peers (`jq -c -f stripe_invoice.jq invoices.ndjson`).
#
# What it covers: every rule of mappings/stripe/invoice.json (ids and
# external refs, number, kind, status, counterparty, seller and buyer with
# their tax ids, delivery, contract, dates, currency, the memo, the lines with
# quantity, unit, unit price, item refs and period, the total, created_at),
# and the amounts the Rust glue works out that scripts/bench-peers compares:
# each line's net (amount - its own discounts - tax it includes) and tax, the
# invoice-level discounts as allowances (one per discount, not per tax
# category and rate), shipping as a charge, the totals, and partially_paid.
# Unmapped top-level fields go under extensions.stripe.
#
# What it leaves out, so it does less work than the crate: tax categories,
# rates and their estimation, the tax breakdown, the unit price worked out
# for prorations and tax-inclusive prices, item names, the loss report, and
# any check that the result is a valid Invoice.

# ISO 4217 minor units where they are not 2, with the mapping file's
# "minor_units" overrides (ISK 2, MGA 0).
def minor_units:
  {"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "JPY": 0, "KMF": 0, "KRW": 0,
   "MGA": 0, "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0,
   "XAF": 0, "XOF": 0, "XPF": 0,
   "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
   "CLF": 4, "UYW": 4}[.] // 2;

# A decimal string of digits (an optional fraction) in minor units ->
# the same value in major units: "3900" -> "39.00", "4900.5" -> "49.005".
def shift_point($exp):
  (if startswith("-") then "-" else "" end) as $sign
  | ltrimstr("-") | split(".") as $parts
  | ($parts[0] | sub("^0+(?=.)"; "")) as $int
  | ($parts[1] // "") as $frac
  | ($int + $frac) as $digits
  | (($int | length) - $exp) as $point
  | (if $point < 1 then ("0" * (1 - $point)) + $digits else $digits end) as $padded
  | ([$point, 1] | max) as $at
  | $sign + $padded[0:$at]
    + (if $at < ($padded | length) then "." + $padded[$at:] else "" end);

# An integer amount in minor units -> {"amount": "123.45", "currency": "EUR"}.
def money($exp; $currency):
  {amount: (tostring | shift_point($exp)), currency: $currency};

def date: strftime("%Y-%m-%d");
def id_of: if type == "object" then .id else . end;
def ref($type): {external_refs: [{id: id_of, object_type: $type, system: "stripe"}]};
def compact: with_entries(select(.value != null and .value != [] and .value != {}));

# The customer mapper's table of tax id types (mappings/stripe/customer.json).
def tax_scheme:
  {"eu_vat": "vat", "gb_vat": "vat",
   "au_abn": "tax_registration", "au_arn": "tax_registration", "de_stn": "tax_registration",
   "ca_qst": "tax_registration", "eu_oss_vat": "tax_registration", "jp_trn": "tax_registration",
   "ca_bn": "legal_registration", "ch_uid": "legal_registration", "jp_cn": "legal_registration",
   "kr_brn": "legal_registration",
   "nz_gst": "gst", "in_gst": "gst", "sg_gst": "gst", "ca_gst_hst": "gst",
   "my_sst": "sales_tax", "ca_pst_bc": "sales_tax", "ca_pst_mb": "sales_tax", "ca_pst_sk": "sales_tax",
   "us_ein": "ein",
   "br_cnpj": "tin", "br_cpf": "tin", "mx_rfc": "tin", "ar_cuit": "tin", "cl_tin": "tin", "co_nit": "tin"}[.]
  // "other";

def tax_ids:
  [.[]? | select(type == "object") | (.type | tax_scheme) as $scheme
   | {scheme: $scheme, label: (if $scheme == "legal_registration" then null else .type end), value}
   | compact];

# A Stripe address -> a canonical address; none without a country.
def address:
  if type == "object" and (.country | type) == "string" then
    {country, lines: [.line1, .line2 | select(. != null)], city, region: .state, postal_code}
    | compact
  else null end;

def sum: reduce .[] as $x (0; . + $x);

. as $v
| ($v.currency | ascii_upcase) as $ccy
| ($ccy | minor_units) as $exp
| [$v.discounts[]? | id_of] as $document_discounts
| [$v.lines.data[]
   | (.taxes // .tax_amounts // []) as $taxes
   | ([$taxes[] | select(.inclusive == true or .tax_behavior == "inclusive")] | length > 0) as $inclusive
   | [.discount_amounts[]?
      | {amount, id: (.discount | id_of)}
      | .document = ((.id as $id | $document_discounts | index([$id])) != null and ($inclusive | not))] as $discounts
   | {line: .,
      net: (.amount - ([$discounts[] | select(.document | not) | .amount] | sum)
                    - ([$taxes[] | select(.inclusive == true or .tax_behavior == "inclusive") | .amount] | sum)),
      document: [$discounts[] | select(.document)],
      tax: ([$taxes[].amount] | sum),
      stated: ($taxes | length > 0)}] as $lines
| ($lines | map(.net) | sum) as $line_net_total
| ([$lines[].document[]] | group_by(.id) | map({id: .[0].id, amount: (map(.amount) | sum)})
   | map(select(.amount != 0))) as $allowances
| ($allowances | map(.amount) | sum) as $allowance_total
| ($v.shipping_cost.amount_subtotal // 0) as $charge_total
| (($lines | map(.tax) | sum) + ([$v.shipping_cost.taxes[]?.amount] | sum)) as $tax_total
| ($v.amount_paid // 0) as $amount_paid
| ($v.amount_remaining // ($v.total - $amount_paid)) as $remaining
| ($v.total - $remaining) as $settled
| (if $settled == $amount_paid then [$amount_paid, $remaining]
   elif $v.status == "void" or $settled < 0 then [$amount_paid, $v.total - $amount_paid]
   else [$settled, $remaining] end) as [$paid, $due]
| ({draft: "draft", open: "issued", paid: "paid", void: "void", uncollectible: "uncollectible"}[$v.status]
   | if . == "issued" and $paid > 0 and $due > 0 then "partially_paid" else . end) as $status
| {
    id: $v.id,
    external_refs: [{id: $v.id, object_type: "invoice", system: "stripe"}],
    number: $v.number,
    kind: "invoice",
    status: $status,
    counterparty: ($v.customer | ref("customer")),
    seller: ({name: $v.account_name,
              address: (if $v.account_country then {country: $v.account_country} else null end),
              tax_ids: ($v.account_tax_ids | tax_ids)} | compact),
    buyer: ({name: $v.customer_name,
             contact: ({email: $v.customer_email, phone: $v.customer_phone} | compact),
             address: ($v.customer_address | address),
             tax_ids: ($v.customer_tax_ids | tax_ids)} | compact),
    delivery: (($v.shipping_details // $v.customer_shipping)
               | if . then {party_name: .name, address: (.address | address)} | compact else null end),
    contract: (($v.parent.subscription_details.subscription // $v.subscription)
               | if . then ref("subscription") else null end),
    issue_date: (($v.effective_at // $v.status_transitions.finalized_at) | if . then date else null end),
    due_date: ($v.due_date | if . then date else null end),
    currency: $ccy,
    notes: (if $v.description then [$v.description] else null end),
    lines: [$lines[] | .line as $l
      | {id: $l.id,
         description: $l.description,
         quantity: (($l.quantity_decimal // $l.quantity // 1) | tostring),
         unit_of_measure: "C62",
         unit_price: (($l.pricing.unit_amount_decimal // $l.price.unit_amount_decimal)
                      | if . then {amount: shift_point($exp), currency: $ccy} else null end),
         item: ([($l.pricing.price_details.product // $l.price.product | select(. != null) | id_of
                  | {id: ., object_type: "product", system: "stripe"}),
                 ($l.pricing.price_details.price // $l.price.id | select(. != null) | id_of
                  | {id: ., object_type: "price", system: "stripe"})]
                | if length > 0 then {external_refs: .} else null end),
         period: ($l.period | if . then
                    (.start | date) as $start
                    | {start: $start,
                       end: (if .end <= .start then $start else ([(.end - 1 | date), $start] | max) end)}
                  else null end),
         net_amount: (.net | money($exp; $ccy)),
         tax_amount: (if .stated then .tax | money($exp; $ccy) else null end)}
      | compact],
    allowances_charges: ([$allowances[] | {kind: "allowance", amount: (.amount | money($exp; $ccy)),
                                           reason: "Discount \(.id)"}]
                         + (if $charge_total != 0 then
                              [{kind: "charge", amount: ($charge_total | money($exp; $ccy)),
                                reason: "Shipping", reason_code: "FC"}]
                            else [] end)),
    totals: ({line_net_total: ($line_net_total | money($exp; $ccy)),
              allowance_total: (if $allowance_total != 0 then $allowance_total | money($exp; $ccy) else null end),
              charge_total: (if $charge_total != 0 then $charge_total | money($exp; $ccy) else null end),
              total_without_tax: ($line_net_total - $allowance_total + $charge_total | money($exp; $ccy)),
              tax_total: ($tax_total | money($exp; $ccy)),
              total_with_tax: ($v.total | money($exp; $ccy)),
              paid: (if $paid != 0 then $paid | money($exp; $ccy) else null end),
              amount_due: ($due | money($exp; $ccy))} | compact),
    created_at: ($v.created | todate),
    extensions: {stripe: ($v | del(.id, .object, .number, .status, .customer, .account_name,
                                   .account_country, .customer_name, .customer_email, .customer_phone,
                                   .customer_address, .customer_tax_ids, .customer_shipping,
                                   .currency, .total, .created)
                          | .lines.data |= map(del(.id, .description, .quantity, .period)))}
  }
| compact
