//! The long help texts of the commands.

// Help texts are wrapped by hand: clap wraps only with its `wrap_help`
// feature, which would pull in a terminal-size dependency.

pub(crate) const ABOUT: &str = "\
Validate canonical finance records, map vendor payloads to and from them, list
the validation rules and the mappers, and print the JSON Schemas";

pub(crate) const LONG_ABOUT: &str = "\
Validate canonical finance records (customers, contracts, invoices, payments,
journal entries), map vendor payloads (Stripe, or your own mapping files) to
and from them, list the validation rules and the mappers, and print the JSON
Schemas.

Stdout carries only machine output (JSON, or Markdown or a table on
request); messages for people, and the loss report of `map --report`, go to
stderr.";

pub(crate) const TOP_EXAMPLES: &str = "\
Examples:
  canonical-finance validate --entity invoice invoice.json
  canonical-finance validate --entity payment --ndjson payments.ndjson
  canonical-finance map --from stripe --object customer cus.json
  canonical-finance map --to stripe --entity customer customer.json
  canonical-finance vendors --format text
  canonical-finance rules --format markdown
  canonical-finance schema --entity invoice
  canonical-finance schema --out schemas";

pub(crate) const EXIT_STATUS: &str = "\
Exit status:
  0  every document is valid (warnings allowed), every document was mapped
     (losses allowed), or the command succeeded
  1  validate: at least one document is invalid: it breaks a rule, does not
     match the entity type (code PARSE), has a key twice
     (JSON-DUPLICATE-KEY), nests deeper than --max-depth (JSON-LIMIT), or,
     with --ndjson, a line is not JSON or not UTF-8 (JSON-SYNTAX) or longer
     than --max-bytes (JSON-LIMIT)
     map: at least one document cannot be mapped, has a key twice or nests
     too deep, or, with --ndjson, a line is not JSON, not UTF-8 or too long
  2  bad usage, or input that cannot be read: a missing file, bytes that are
     not UTF-8, malformed JSON, or more than --max-bytes, in single-document
     mode; for map and vendors also an unknown vendor, object or entity, or
     a broken --mappings file;
     or output that cannot be written (a closed pipe, as with | head, stops
     the tool quietly: it did not finish)";

pub(crate) const MAP_EXIT_STATUS: &str = "\
Exit status:
  0  every document was mapped (losses allowed; see --report)
  1  a document cannot be mapped: the input is not what the mapper expects
     (kind invalid_input), or the result is not a valid canonical record
     (kind invalid_canonical), a key is there twice (json_duplicate_key) or
     it nests deeper than --max-depth (json_limit); with --ndjson, also a
     line that is not JSON or not UTF-8 (kind json_syntax) or longer than
     --max-bytes (json_limit)
  2  bad usage: an unknown vendor, object or entity, several mappers where
     --object must choose, a broken --mappings file; or input that cannot
     be read: a missing file, bytes that are not UTF-8, malformed JSON or
     more than --max-bytes in single-document mode; or output that cannot be written (a closed pipe,
     as with | head, stops the tool quietly: it did not finish)";

pub(crate) const VALIDATE_LONG_ABOUT: &str = r#"Validate one JSON document, or one document per line with --ndjson, and
print the report as one line of JSON on stdout:

  {"valid":false,"errors":1,"warnings":0,"violations":[{"code":"BR-CO-10",
   "severity":"error","path":"/totals/line_net_total","message":"..."}]}

`valid` is true when no violation is an error (warnings allowed); `path` is
an RFC 6901 JSON Pointer into the document. `canonical-finance rules` lists
the codes. A readable document is parsed once; one that does not match the
entity type is reported too, never skipped:

  BR-04, BR-05, BR-12, ...  an invoice lacks a field EN 16931 requires (the
               kind, the currency, a total, a line's quantity, ...): every
               such field, each at its path
  BR-CL-04, BR-CL-14, ...  a code outside its list (a currency that is not
               ISO 4217, a country that is not ISO 3166-1)
  PARSE        anything else that does not match the entity type (a wrong
               type, an unknown field, a bad amount); the path points at the
               field, the message gives the line and column
  JSON-DUPLICATE-KEY  an object has a key twice (the path is the second)
  JSON-LIMIT   nesting deeper than --max-depth (128 by default), or with
               --ndjson a line longer than --max-bytes (16 MiB by default)
  JSON-SYNTAX  with --ndjson, a line that is not JSON, or not UTF-8 (the
               message names the byte and its offset in the input)

EN 16931 presence rules (the seller's name, a line's unit, ...) are errors
on an invoice that declares EN 16931 in `specification` and warnings on
the others.

With --ndjson the input is read line by line in constant memory, and
--jobs N lines are checked at a time (default: one per CPU; --jobs 1 checks
one after another, without threads); the output and the exit status are the
same for every N. Each non-blank line gets one report line, in input order,
with its 1-based line number as an extra "line" field:

  {"line":3,"valid":true,"errors":0,"warnings":0,"violations":[]}

A line that is not JSON or not UTF-8 (JSON-SYNTAX), or longer than
--max-bytes (JSON-LIMIT: its bytes are skipped, never held), is reported
as invalid and the lines after it are still checked. Without --ndjson,
malformed JSON, bytes that are not UTF-8 and a document of more than
--max-bytes (refused before it is parsed) are unreadable input: a message
on stderr, nothing on stdout, exit status 2."#;

pub(crate) const VALIDATE_EXAMPLES: &str = "\
Examples:
  canonical-finance validate --entity invoice invoice.json
  cat invoice.json | canonical-finance validate --entity invoice
  canonical-finance validate --entity invoice --profile peppol invoice.json
  canonical-finance validate --entity payment --ndjson payments.ndjson
  canonical-finance validate --entity payment --ndjson --jobs 4 payments.ndjson
  canonical-finance validate -e invoice --ndjson < invoices.ndjson \\
    | jq -c 'select(.valid | not)'";

pub(crate) const RULES_LONG_ABOUT: &str = r#"Print the catalogue of validation rules: a JSON array of
{"code","entity","severity","scope","description","en16931"} objects (entity
is null for the field rules shared by every entity; scope is always,
en16931 for a presence rule that is an error only on invoices declaring EN
16931, or parse for a rule checked while the JSON is read; en16931 lists
the EN 16931 rules and terms the code implements), or the Markdown tables
of docs/rules.md.

With --en16931, print the EN 16931 conformance table instead: every
business rule of the standard with the codes that implement it, or why the
canonical model does not need it (JSON objects {"id","summary","codes",
"not_needed"}, or the Markdown table of docs/rules.md)."#;

pub(crate) const RULES_EXAMPLES: &str = r#"Examples:
  canonical-finance rules
  canonical-finance rules --format markdown
  canonical-finance rules --en16931 --format markdown
  canonical-finance rules --en16931 | jq -r '.[] | select(.codes == []) | .id'
  canonical-finance rules | jq -r '.[] | select(.entity == "invoice") | .code'"#;

pub(crate) const SCHEMA_LONG_ABOUT: &str = "\
Print one entity's JSON Schema (draft 2020-12) as JSON on stdout, or, with
--out, write the schema files into a directory and list the paths written on
stderr.

With --out, example documents found in DIR/examples/<entity>/*.json are
embedded as `examples`, so `--out schemas` regenerates the checked-in files.
With --out and --entity, only that entity's file is written.

With --mapping-file, the schema of declarative mapping files is printed
instead: save it next to your mapping files and point their `$schema` at
it, for completion and checks in editors outside this repository.";

pub(crate) const SCHEMA_EXAMPLES: &str = "\
Examples:
  canonical-finance schema --entity invoice > invoice.schema.json
  canonical-finance schema --out schemas
  canonical-finance schema --out schemas --entity payment
  canonical-finance schema --mapping-file > mapping-file.schema.json";

pub(crate) const MAP_LONG_ABOUT: &str = r#"Map one JSON document, or one document per line with --ndjson, between a
vendor's object model and the canonical model, and print the result as one
line of compact JSON on stdout.

  --from VENDOR --object OBJECT   vendor payload   -> canonical record
  --to VENDOR --entity ENTITY     canonical record -> vendor payload

With --to, --object picks the vendor object when the vendor has several for
the entity (Stripe maps payment_intent, charge, refund and invoice_payment to
payment); with only one, it may be left out. The canonical input must be a
record of the entity type.

Vendor fields no rule maps are kept under the canonical record's
`extensions.<vendor>`, so vendor -> canonical -> vendor gives back the same
payload. What could not be carried over exactly is a loss:

  unsupported  a canonical value the vendor object has no field for
  lossy        a value changed on the way (the original is kept)
  fallback     a value outside the mapping's enum table
  incomplete   the vendor did not send everything (more pages of a list)
  estimated    a value the vendor does not send, worked out from others

--report writes the losses to stderr as one line of JSON per document
mapped:

  {"losses":[{"kind":"unsupported","path":"/legal_name","reason":"..."}]}

with --ndjson, each with its input line number: {"line":3,"losses":[]}; a
line that cannot be mapped has its error object on stdout instead, and no
report line.
Without --report, a note on stderr says when values were lost.

--mappings DIR also loads every *.json mapping file under DIR (see
mappings/README.md) after the built-in ones; `canonical-finance vendors`
lists what is loaded.

With --ndjson the input is read line by line in constant memory, --jobs N
lines are mapped at a time (default: one per CPU; --jobs 1 maps one after
another, without threads; the output is the same for every N), and output
line N always belongs to input line N: the mapped document, an empty line
for a blank line, or, for a line that cannot be mapped, an error object

  {"line":2,"error":{"kind":"invalid_input","pointer":"/object",
   "message":"..."}}

(kind invalid_input, invalid_canonical, json_duplicate_key, json_limit or
json_syntax; `pointer` points into the input line for invalid_input,
json_duplicate_key and json_limit, into the produced record for
invalid_canonical). A line that is not UTF-8 (json_syntax) or longer than
--max-bytes (json_limit, its bytes skipped, never held) gets one too. The
lines after it are still mapped; the exit status is then 1. Without
--ndjson, a document that cannot be mapped, has a key twice or nests
deeper than --max-depth is a message on stderr and nothing on stdout, exit
status 1; one of more than --max-bytes is refused before it is parsed,
exit status 2."#;

pub(crate) const MAP_EXAMPLES: &str = "\
Examples:
  canonical-finance map --from stripe --object customer cus.json
  canonical-finance map --to stripe --entity customer customer.json
  canonical-finance map --to stripe --entity payment --object refund re.json
  canonical-finance map --from stripe --object customer cus.json \\
    | canonical-finance map --to stripe --entity customer
  canonical-finance map --from stripe --object customer --ndjson --report \\
    customers.ndjson > canonical.ndjson 2> losses.ndjson
  canonical-finance map --mappings my-mappings --from acme --object bill bill.json";

pub(crate) const VENDORS_LONG_ABOUT: &str = r#"List every mapper: built in, and with --mappings DIR also those of the
mapping files under DIR. JSON by default: an array (pretty-printed) with
one object per mapper, sorted by vendor and object:

  [{"vendor":"stripe","object":"charge","entity":"payment",
    "directions":["to_canonical","to_vendor"]}, ...]

or, with --format text, an aligned table with a header line (with
--format markdown, a Markdown table).

With --fidelity, how faithfully each mapper carries each canonical field,
read from its mapping file: for every vendor object, each field written
(its vendor fields, and whether it is copied exactly, transformed (how),
a constant or derived), what is kept only as vendor extensions, and the
entity's places no rule writes (the way back reports them as losses).
JSON by default; --format markdown (or text) gives a summary table, then
every field."#;

pub(crate) const VENDORS_EXAMPLES: &str = "\
Examples:
  canonical-finance vendors
  canonical-finance vendors --format text
  canonical-finance vendors --mappings my-mappings --format text
  canonical-finance vendors | jq -r '.[] | select(.entity == \"payment\") | .object'
  canonical-finance vendors --fidelity --format markdown
  canonical-finance vendors --fidelity | jq '.[] | select(.vendor == \"netsuite\") | .not_carried'";
