# Compares one canonical invoice made by a peer (jq or JSONata) with the
# crate's, for scripts/bench-peers:
#
#   jq -n -r --slurpfile crate CRATE.json --slurpfile peer PEER.json -f compare.jq
#
# Prints one line per disagreement and nothing when they agree: first the
# main fields (id, number, currency, status, every total, and each line's id,
# quantity, unit price, net and tax), which must be there and be equal; then
# every other value the peer writes, which must be the crate's (the
# extensions and the document-level allowances are left out: the peer keeps
# a rougher residue, and one allowance per discount where the crate has one
# per discount, tax category and rate; their sum is the allowance total).

def main:
  {id, number, currency, status,
   totals: (.totals // {}),
   lines: [.lines[]? | {id, quantity, unit_price, net_amount, tax_amount}]};

def show: if type == "string" then . else tojson end;

$crate[0] as $c | $peer[0] as $p
| ($c | main) as $cm | ($p | main) as $pm
| ( [($cm | paths(scalars)), ($pm | paths(scalars))] | unique[] as $path
    | ($cm | getpath($path)) as $want | ($pm | getpath($path)) as $got
    | select($want != $got)
    | "main field /\([$path[] | tostring] | join("/")): crate \($want | show), peer \($got | show)" ),
  ( $p | paths(scalars) | select(.[0] != "extensions" and .[0] != "allowances_charges") as $path
    | ($c | getpath($path)) as $want | ($p | getpath($path)) as $got
    | select($want != $got)
    | "/\([$path[] | tostring] | join("/")): crate \($want | show), peer \($got | show)" ),
  ( if ($cm.lines | length) == 0 or $cm.id == null then "the crate's output has no id or no lines" else empty end )
