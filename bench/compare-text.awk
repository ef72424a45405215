# compare-text.awk: compares two text outputs line by line, reading both to the end (they may be FIFOs fed by the
# two tools at the same time, so nothing is stored). Usage: awk -v TS=FILE -v BT=FILE -f compare-text.awk
#   TS: what `tracestream print` wrote, BT: what `babeltrace2` wrote.
# Prints one line of counts:
#   LINES_TS LINES_BT IDENTICAL STALE OTHER FIRST_OTHER_LINE
# STALE counts the lines that differ only where babeltrace2 2.0.4 prints stale text for an empty string (its known
# bug, see the README, "Stale empty strings"): tracestream prints `name = ""` and babeltrace2, at the same places,
# some other quoted string, the rest of the line being identical. OTHER counts every other differing line (and
# the lines one output has beyond the other's end); FIRST_OTHER_LINE is the first of them (0: none). The first
# 3 such lines are shown on stderr, from both outputs.

# Length of the quoted string starting at s[i] ('"'), escapes included, or 0 when there is none there.
function quoted(s, i,    n, c, j) {
  if (substr(s, i, 1) != "\"") return 0
  n = length(s)
  for (j = i + 1; j <= n; j++) {
    c = substr(s, j, 1)
    if (c == "\\") { j++; continue }
    if (c == "\"") return j - i + 1
  }
  return 0
}

# 1 when bt is ts with some of ts's empty strings (` = ""`) holding other text in bt.
function stale(ts, bt,    marker, tp, bp, at, piece, q, rest) {
  marker = " = \"\""
  if (index(ts, marker) == 0) return 0
  tp = 1; bp = 1
  while (1) {
    rest = substr(ts, tp)
    at = index(rest, marker)
    if (at == 0) return rest == substr(bt, bp)
    piece = substr(rest, 1, at + 2)          # up to and including " = "
    if (substr(bt, bp, length(piece)) != piece) return 0
    bp += length(piece)
    q = quoted(bt, bp)
    if (q == 0) return 0
    bp += q
    tp += at + 2 + 2                          # past ` = ""`
  }
}

function other(n, a, b) {
  others++
  if (first == 0) first = n
  if (others <= 3) {
    printf "line %d differs:\n  tracestream: %s\n  babeltrace2: %s\n", n, a, b > "/dev/stderr"
  }
}

BEGIN {
  n = 0; same = 0; stales = 0; others = 0; first = 0; nts = 0; nbt = 0
  while (1) {
    ra = (getline a < TS) > 0
    rb = (getline b < BT) > 0
    if (!ra && !rb) break
    n++
    if (ra) nts++
    if (rb) nbt++
    if (ra && rb) {
      if (a == b) same++
      else if (stale(a, b)) stales++
      else other(n, a, b)
    } else {
      other(n, ra ? a : "(end of output)", rb ? b : "(end of output)")
    }
  }
  print nts, nbt, same, stales, others, first
}
