#!/usr/bin/env python3
"""Build the shipped world data (scenarios/world/) from public source files.

Usage:
    python3 tools/build_world.py --data DATA_DIR --out scenarios/world
    python3 tools/build_world.py --data DATA_DIR --vintage 2015 \\
        --out scenarios/history/world-2015

DATA_DIR must contain the public CSV extracts described in
scenarios/world/SOURCES.md (World Bank, UNGA ideal points, IMF DOTS, IMF AIPI,
V-Dem, Freedom House, OWID, UN M49, country geography, memberships, Taiwan
HS 8542 exports). The script writes nations.csv, trade.csv and SOURCES.md.
With --vintage 2015 it writes the world as of early 2015 (the founding of the
AIIB) instead: nations.csv and SOURCES.md, described in that SOURCES.md.

Standard library only (Python 3.11). Deterministic: same inputs give the same
output bytes (rows sorted, fixed float formatting, no timestamps).
"""

import argparse
import csv
import datetime
import math
import os
import re
import statistics
import sys

# ---------------------------------------------------------------------------
# Constants: every hand-entered figure or list lives here and is documented
# in SOURCES.md.
# ---------------------------------------------------------------------------

EXTRA_ROWS = ["HKG", "MAC", "TWN"]

NAME_OVERRIDES = {
    "COG": "Republic of the Congo",
    "HKG": "Hong Kong",
    "MAC": "Macau",
    "TWN": "Taiwan",
}

# UN M49 region for entries that iso3166_regions.csv leaves blank.
REGION_OVERRIDES = {"TWN": ("Asia", "Eastern Asia")}

# Ideal-point files use Correlates-of-War based codes; Serbia (COW 345) is
# carried under the old code YUG.
IDEALPOINT_CODE_FIX = {"YUG": "SRB"}

ALIGN_YEARS = (2022, 2023, 2024)
# States without any ideal point in ALIGN_YEARS but with earlier ones: use the
# mean of their latest three available years (documented).
ALIGN_OLDER_FALLBACK = True

GDP_YEAR = 2023
POP_YEAR = 2023
MIN_FALLBACK_YEAR = 2015

# External figures, not in the data directory (from published estimates).
# value in US$ bn / millions of persons, reference year, description.
EXTERNAL_GDP = {
    "TWN": (751.930, 2023,
            "IMF World Economic Outlook database, October 2023 "
            "(\"Taiwan Province of China\", GDP current prices, "
            "US$ 751.930 bn, 2023 estimate)"),
    "VEN": (92.210, 2023,
            "IMF World Economic Outlook database, October 2023 "
            "(GDP current prices, US$ 92.210 bn, 2023 estimate; IMF staff "
            "estimate, no official data)"),
    "PRK": (30.795, 2023,
            "Bank of Korea / Statistics Korea estimate of North Korea's "
            "nominal GDP for 2023, KRW 40.2 trillion (published July and "
            "December 2024), converted at the 2023 average rate of "
            "1,305.4 KRW per US$ = US$ 30.795 bn (IMF does not cover North "
            "Korea)"),
    "ERI": (2.250, 2021,
            "IMF World Economic Outlook estimate for 2021 (GDP current "
            "prices, about US$ 2.25 bn), as quoted in public summaries of "
            "the WEO; Eritrea has no World Bank GDP after 2011 and no IMF "
            "figure for later years was verified"),
}
EXTERNAL_POP = {
    "TWN": (23.420, 2023,
            "Taiwan Ministry of the Interior household-registration "
            "population at end-2023 (23,420,442 persons)"),
}

TRADE_YEARS = ("2019", "2018", "2020")

# AIPI values absent from the IMF file but quoted from the IMF DataMapper
# in press reports.
AIPI_PRESS = {"TWN": 0.67, "AFG": 0.13, "SSD": 0.11}
AIPI_CLIP = (0.05, 0.95)
INTERNET_YEARS = range(2019, 2024)
INTERNET_OLDER_YEARS = range(2015, 2019)
# States for which no internet/HDI/AIPI figure exists and the sub-region
# median would be implausible (documented): use the lowest value observed.
LOWEST_OBSERVED = {"PRK"}

VDEM_YEAR = 2023
FH_EDITION = "2024"

TIER1_EXPECTED = sorted(
    "USA AUS BEL CAN DNK FIN FRA DEU IRL ITA JPN NLD NZL NOR KOR ESP SWE "
    "TWN GBR".split())

US_TREATY_NON_NATO = ["JPN", "KOR", "AUS", "PHL", "THA"]
US_MNNA = ["ARG", "BHR", "BRA", "COL", "EGY", "ISR", "JOR", "KEN", "KWT",
           "MAR", "NZL", "PAK", "QAT", "TUN", "TWN", "SAU"]
RIO_TREATY_OTHERS = ["BHS", "CHL", "CRI", "DOM", "SLV", "GTM", "HTI", "HND",
                     "PAN", "PRY", "PER", "TTO", "URY"]

GCC = ["ARE", "BHR", "KWT", "OMN", "QAT", "SAU"]
ARAB_LEAGUE = ("DZA BHR COM DJI EGY IRQ JOR KWT LBN LBY MRT MAR OMN QAT SAU "
               "SOM SDN SYR TUN ARE YEM").split()
EAEU = ["ARM", "BLR", "KAZ", "KGZ", "RUS"]

TRADE_TOP_N = 40

# ---------------------------------------------------------------------------
# Vintage 2015: the world as of early 2015 (the AIIB founding, 2014-10 to
# 2015-04). Only the columns below are rebuilt; every other column keeps the
# current vintage's value (documented in the vintage's SOURCES.md).
# ---------------------------------------------------------------------------

VINTAGES = ("current", "2015")

V15_YEAR = 2015
# Ideal points: 2015; 2016 only for states without a 2015 value.
V15_ALIGN_YEARS = (2015, 2016)
V15_VDEM_YEAR = 2015
# Freedom House fallback: the earliest edition in the data (2018, covering
# 2017), fitted against V-Dem of the same year (2017).
V15_FH_EDITION = "2018"
V15_FH_DATA_YEAR = 2017
# Bloc memberships are taken as of this date.
V15_BLOC_DATE = "2015-03"

# External 2015 figures for states without a World Bank value for 2015.
# value in US$ bn / millions of persons, reference year, description.
V15_EXTERNAL_GDP = {
    "TWN": (534.5, 2015,
            "IMF World Economic Outlook series for Taiwan (\"Taiwan Province "
            "of China\", GDP current prices), 2015, about US$ 534.5 bn "
            "(Directorate-General of Budget, Accounting and Statistics "
            "series after its benchmark revisions; earlier releases put "
            "2015 at about US$ 525 bn). Rounded figure, not checked "
            "against the database: uncertain by about 2%"),
    "VEN": (None, 2015,
            "IMF World Economic Outlook estimate of GDP per capita in 2015, "
            "US$ 10,568 (as quoted in the Venezuelan press in 2019), times "
            "the World Bank 2015 population of the data directory; "
            "Venezuela's 2015 dollar GDP depends heavily on the exchange "
            "rate used and published estimates range from about US$ 130 bn "
            "to 340 bn"),
    "PRK": (30.3, 2015,
            "Bank of Korea estimate of North Korea's nominal gross national "
            "income for 2015, KRW 34.5 trillion = US$ 30.3 bn (Bank of "
            "Korea release of 22 July 2016, as reported by Yonhap / The "
            "Korea Herald; the Bank of Korea publishes GNI, not GDP, for "
            "North Korea)"),
    "ERI": (2.250, 2021,
            "no 2015 figure in the data or verified elsewhere; the current "
            "vintage's figure is kept (IMF World Economic Outlook estimate "
            "for 2021, about US$ 2.25 bn): anachronistic"),
}
V15_VEN_GDP_PER_CAPITA = 10568.0
V15_EXTERNAL_POP = {
    "TWN": (23.492, 2015,
            "Taiwan Ministry of the Interior household-registration "
            "population at end-2015 (23,492,074 persons; the Ministry's "
            "count at end-May 2016 was 23,503,349)"),
}

# US Major Non-NATO Allies designated before 2015-03 (Afghanistan 2012,
# revoked 2022; Tunisia was designated in July 2015, Brazil 2019, Colombia
# and Qatar 2022, Kenya 2024, Saudi Arabia 2025: not yet).
V15_US_MNNA = ["AFG", "ARG", "BHR", "EGY", "ISR", "JOR", "KWT", "MAR", "NZL",
               "PAK", "TWN"]
# Rio Treaty parties in 2015 (Mexico left in 2004; Venezuela, Bolivia,
# Ecuador and Nicaragua in 2012-2014): the current list plus Brazil and
# Colombia, which are now 0.5 as MNNAs.
V15_RIO_TREATY_OTHERS = sorted(RIO_TREATY_OTHERS + ["BRA", "COL"])
# Eurasian Economic Union on 2015-03: founded 2015-01-01 by BLR KAZ RUS;
# Armenia joined 2015-01-02; Kyrgyzstan only on 2015-08-12.
V15_EAEU = ["ARM", "BLR", "KAZ", "RUS"]
# Syria's Arab League membership was suspended from November 2011 to May 2023.
V15_ARAB_LEAGUE = [k for k in ARAB_LEAGUE if k != "SYR"]
# Morocco left the OAU in 1984 and rejoined the AU in January 2017.
V15_AU_EXCLUDE = ["MAR"]
# Expected bloc sizes on 2015-03 (checked).
V15_BLOC_EXPECTED = {
    "APEC": 21, "ARAB_LEAGUE": 20, "ASEAN": 10, "AU": 53, "BRICS": 5,
    "CELAC": 33, "EAEU": 4, "EU": 28, "G20": 19, "G7": 7, "GCC": 6,
    "NATO": 28, "OECD": 34, "SCO": 6,
}

NATION_COLUMNS = [
    "iso3", "name", "region", "subregion", "gdp_usd_bn", "population_m",
    "lat", "lon", "alignment", "china_trade_share", "us_trade_share",
    "ai_capacity", "chip_dependence", "export_tier", "us_ally", "democracy",
    "blocs", "bias", "recognises_host", "sovereign", "dispute_with_host",
    "hosts_us_forces", "alignment_stale", "imputed",
]


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

def read_csv(data_dir, name):
    path = os.path.join(data_dir, name)
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def num(s):
    """Parse a numeric cell; blank/NA -> None."""
    if s is None:
        return None
    s = s.strip()
    if s == "" or s.upper() in ("NA", "NAN", "NULL"):
        return None
    v = float(s)
    if not math.isfinite(v):
        return None
    return v


def fmt(x, nd):
    """Fixed-decimal formatting without a negative zero."""
    r = round(x, nd)
    if r == 0:
        r = 0.0
    return f"{r:.{nd}f}"


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


def median(values):
    return statistics.median(sorted(values))


def ols(xs, ys):
    """Ordinary least squares with intercept. xs: list of feature tuples.

    Returns (coefficients [b0, b1, ...], r2). Solved by Gauss-Jordan
    elimination on the normal equations.
    """
    k = len(xs[0]) + 1
    rows = [(1.0,) + tuple(x) for x in xs]
    a = [[sum(r[i] * r[j] for r in rows) for j in range(k)] for i in range(k)]
    b = [sum(r[i] * y for r, y in zip(rows, ys)) for i in range(k)]
    m = [a[i] + [b[i]] for i in range(k)]
    for col in range(k):
        piv = max(range(col, k), key=lambda r: abs(m[r][col]))
        m[col], m[piv] = m[piv], m[col]
        p = m[col][col]
        m[col] = [v / p for v in m[col]]
        for r in range(k):
            if r != col:
                f = m[r][col]
                m[r] = [vr - f * vc for vr, vc in zip(m[r], m[col])]
    coef = [m[i][k] for i in range(k)]
    pred = [sum(c * v for c, v in zip(coef, r)) for r in rows]
    ybar = sum(ys) / len(ys)
    ss_res = sum((y - p) ** 2 for y, p in zip(ys, pred))
    ss_tot = sum((y - ybar) ** 2 for y in ys)
    return coef, 1.0 - ss_res / ss_tot


def pct_rank(values):
    """Percentile rank in (0, 1]: average rank (ties) / n."""
    order = sorted(values.items(), key=lambda kv: (kv[1], kv[0]))
    n = len(order)
    ranks = {}
    i = 0
    while i < n:
        j = i
        while j + 1 < n and order[j + 1][1] == order[i][1]:
            j += 1
        avg = (i + 1 + j + 1) / 2.0
        for t in range(i, j + 1):
            ranks[order[t][0]] = avg / n
        i = j + 1
    return ranks


def wb_series(rows):
    out = {}
    for r in rows:
        v = num(r["Value"])
        if v is not None:
            out.setdefault(r["Country Code"], {})[int(r["Year"])] = v
    return out


class Log:
    """Collects imputation notes for SOURCES.md and the console."""

    def __init__(self):
        self.items = {}

    def add(self, key, text):
        self.items.setdefault(key, []).append(text)

    def get(self, key):
        return self.items.get(key, [])


# ---------------------------------------------------------------------------
# Eligibility and IR attributes (recognises_host, sovereign, dispute_with_host,
# hosts_us_forces, alignment_stale). Every list below is documented, with its
# sources, in the SOURCES.md of each vintage.
# ---------------------------------------------------------------------------

# The project's own table of IR attributes, one row per (state, attribute,
# period) with the reason and the sources: an input of this script.
IR_TABLE_DEFAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "data", "ir_attributes.csv")
IR_TABLE_COLUMNS = ["iso3", "attribute", "value", "since", "until",
                    "override", "reason", "source"]
# attribute -> (lowest, highest) value
IR_ATTRIBUTES = {"dispute_with_host": (0, 2), "hosts_us_forces": (0, 1),
                 "alignment_stale": (0, 1)}
STALE_OVERRIDES = ("new_votes", "subregion_mean")
# The date each vintage describes: the baseline's start (WAIC 2025) and the
# closing of the AIIB founding list.
REFERENCE_DATE = {"current": "2025-07-26", "2015": "2015-04-15"}
# The General Assembly's regular session opens in mid-September and most
# recorded votes fall in October-December: the votes of year Y count as a
# new government's own if it took office before 1 September of Y.
SESSION_CUTOFF = "09-01"

# Not separate actors for a China-hosted body.
NON_SOVEREIGN = ["HKG", "MAC", "TWN"]
# States recognising the Republic of China (UN members; the Holy See is not
# a row), as checked against the data directory's roc_recognition_changes.csv.
ROC_ALLIES_2025 = sorted("BLZ GTM HTI KNA LCA MHL PLW PRY SWZ TUV VCT".split())
ROC_ALLIES_2015 = sorted(ROC_ALLIES_2025 + "BFA DOM HND KIR NIC NRU PAN SLB "
                         "SLV STP".split())
# No diplomatic relations with either government on the reference date.
NO_RELATIONS_2015 = ["GMB"]
# Compacts of Free Association: the US holds full defence authority and
# responsibility (Title Three), in force since 1986 (FSM, MHL) and 1994 (PLW).
US_COMPACT_STATES = ["FSM", "MHL", "PLW"]

IR_COLUMNS = ["recognises_host", "sovereign", "dispute_with_host",
              "hosts_us_forces", "alignment_stale"]


def ir_fail(path, line, key, message, fix):
    sys.exit(f"{path}, line {line}, key `{key}`: {message}\n  help: {fix}")


def ir_date(path, line, key, text):
    """'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' -> 'YYYY-MM-DD' (missing parts are
    the first month / day); '' stays ''."""
    if text == "":
        return ""
    parts = text.split("-")
    try:
        nums = [int(p) for p in parts]
        if len(parts) > 3 or len(parts[0]) != 4:
            raise ValueError
        y, m, d = (nums + [1, 1])[:3]
        datetime.date(y, m, d)
    except ValueError:
        ir_fail(path, line, key, f"`{text}` is not a date",
                "write YYYY, YYYY-MM or YYYY-MM-DD")
    return f"{y:04d}-{m:02d}-{d:02d}"


def read_ir_table(path):
    """Reads and checks the IR attribute table; exits naming the file, line
    and key on any error."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != IR_TABLE_COLUMNS:
            ir_fail(path, 1, "header", f"the header is {header}",
                    "the columns are: " + ",".join(IR_TABLE_COLUMNS))
        out = []
        for line, rec in enumerate(reader, start=2):
            if len(rec) != len(IR_TABLE_COLUMNS):
                ir_fail(path, line, "row", f"{len(rec)} fields",
                        f"give {len(IR_TABLE_COLUMNS)} fields; quote fields "
                        "that contain commas")
            row = dict(zip(IR_TABLE_COLUMNS, rec))
            row["line"] = line
            out.append(ir_check_row(path, row))
    ir_check_overlaps(path, out)
    return out


def ir_check_row(path, row):
    line, attr = row["line"], row["attribute"]
    if attr not in IR_ATTRIBUTES:
        ir_fail(path, line, "attribute", f"unknown attribute `{attr}`",
                "write one of " + ", ".join(sorted(IR_ATTRIBUTES)))
    lo, hi = IR_ATTRIBUTES[attr]
    if row["value"] not in [str(v) for v in range(lo, hi + 1)]:
        ir_fail(path, line, "value", f"`{row['value']}` is out of range",
                f"write an integer from {lo} to {hi}")
    row["value"] = int(row["value"])
    row["since"] = ir_date(path, line, "since", row["since"])
    row["until"] = ir_date(path, line, "until", row["until"])
    if row["until"] and row["until"] <= row["since"]:
        ir_fail(path, line, "until", "the period is empty",
                "`until` (exclusive) must come after `since`")
    stale1 = attr == "alignment_stale" and row["value"] == 1
    if stale1 and row["override"] not in STALE_OVERRIDES:
        ir_fail(path, line, "override", f"`{row['override']}` is not a rule",
                "write " + " or ".join(STALE_OVERRIDES))
    if not stale1 and row["override"]:
        ir_fail(path, line, "override", "only alignment_stale = 1 rows "
                "take an override", "leave it empty")
    if not row["reason"]:
        ir_fail(path, line, "reason", "the reason is empty",
                "say why the value was chosen")
    return row


def ir_check_overlaps(path, table):
    periods = {}
    for row in table:
        periods.setdefault((row["iso3"], row["attribute"]), []).append(row)
    for rows in periods.values():
        rows.sort(key=lambda r: r["since"])
        for a, b in zip(rows, rows[1:]):
            if not a["until"] or a["until"] > b["since"]:
                ir_fail(path, b["line"], "since", f"{b['iso3']} "
                        f"{b['attribute']} overlaps the row on line "
                        f"{a['line']}", "make the periods disjoint")


def ir_applies(row, ref):
    return row["since"] <= ref and (not row["until"] or ref < row["until"])


def ir_rows_at(table, ref, states):
    """The table's rows in force on `ref`, sorted by attribute and state;
    checks that every code is a row of the world."""
    for row in table:
        if row["iso3"] not in states:
            sys.exit(f"IR table, line {row['line']}, key `iso3`: "
                     f"`{row['iso3']}` is not a row of nations.csv")
    return sorted((r for r in table if ir_applies(r, ref)),
                  key=lambda r: (r["attribute"], r["iso3"]))


def stale_overrides(in_force, ip, years, to_align, direct_align, sub_of):
    """alignment value and description for each alignment_stale = 1 row:
    the new government's own votes (`new_votes`) or the sub-region mean of
    the direct values (`subregion_mean`, as for a state without votes)."""
    stale = {r["iso3"]: r for r in in_force
             if r["attribute"] == "alignment_stale" and r["value"] == 1}
    out = {}
    for k, row in sorted(stale.items()):
        if row["override"] == "new_votes":
            ys = [y for y in years if y in ip.get(k, {})
                  and row["since"] <= f"{y}-{SESSION_CUTOFF}"]
            if not ys:
                sys.exit(f"IR table, line {row['line']}: {k} has no ideal "
                         "point after the change; use subregion_mean")
            x = sum(ip[k][y] for y in ys) / len(ys)
            out[k] = (to_align(x), "the new government's own votes: mean "
                      f"ideal point of {', '.join(map(str, ys))} "
                      f"({x:.3f})")
            continue
        pool = sorted(s for s in direct_align if s != k and s not in stale
                      and sub_of[s] == sub_of[k])
        if not pool:
            sys.exit(f"no sub-region alignment values for {k}")
        v = sum(direct_align[s] for s in pool) / len(pool)
        out[k] = (v, f"mean of the {len(pool)} other {sub_of[k]} states "
                  "with a direct value")
    return out


def apply_alignment_overrides(align, imputed, log, in_force, ip, years,
                              to_align, direct_align, sub_of):
    """Overrides `align` in place for the stale rows; logs each change."""
    for k, (v, how) in stale_overrides(in_force, ip, years, to_align,
                                       direct_align, sub_of).items():
        log.add("align_stale", f"{k}: {align[k]:.3f} -> {v:.3f} ({how})")
        align[k] = v
        imputed[k].add("alignment")


def roc_allies(data_dir, ref, states):
    """(UN members recognising the ROC on `ref`, states with relations with
    neither government), from roc_recognition_changes.csv."""
    allies, neither = [], []
    for r in read_csv(data_dir, "roc_recognition_changes.csv"):
        k, switched = r["iso3"], r["switched_to_prc_on"].strip()
        if k not in states or (switched and switched <= ref):
            continue
        if r["recognised_roc_from"].strip()[:4] > ref[:4]:
            continue
        broke = re.search(r"broke with ROC (\d{4}-\d{2}-\d{2})", r["note"])
        if broke and broke.group(1) <= ref:
            neither.append(k)
        else:
            allies.append(k)
    return sorted(allies), sorted(neither)


def apply_eligibility(rows, states, data_dir, vintage):
    """Sets recognises_host and sovereign; checks the ROC allies against the
    verified lists. Returns (allies, neither)."""
    ref = REFERENCE_DATE[vintage]
    allies, neither = roc_allies(data_dir, ref, states)
    want = ROC_ALLIES_2025 if vintage == "current" else ROC_ALLIES_2015
    want_neither = [] if vintage == "current" else NO_RELATIONS_2015
    if allies != want or neither != want_neither:
        sys.exit(f"roc_recognition_changes.csv gives ROC allies {allies} and "
                 f"no relations {neither} on {ref}; the verified lists are "
                 f"{want} and {want_neither}")
    for k in states:
        rows[k]["recognises_host"] = 0 if k in allies + neither + ["TWN"] \
            else 1
        rows[k]["sovereign"] = 0 if k in NON_SOVEREIGN else 1
    return allies, neither


def apply_ir_columns(rows, states, in_force):
    """Sets dispute_with_host, hosts_us_forces, alignment_stale (0 unless
    a row of the table in force says otherwise)."""
    for k in states:
        for attr in IR_ATTRIBUTES:
            rows[k][attr] = 0
    for r in in_force:
        rows[r["iso3"]][r["attribute"]] = r["value"]


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------

def build(data_dir, ir_table):
    log = Log()
    stats = {}
    problems = []

    geo = {r["iso3"]: r for r in read_csv(data_dir, "country_geo.csv")}
    conv = {r["ISO3"]: r for r in
            read_csv(data_dir, "country_groups_country_converter.csv")}
    regions = {r["alpha-3"]: r for r in
               read_csv(data_dir, "iso3166_regions.csv")}
    mem = {r["iso3"]: r for r in read_csv(data_dir, "memberships_2026.csv")}

    # ---- universe -------------------------------------------------------
    un_conv = {k for k, r in conv.items() if r["UNmember"].strip()}
    un_geo = {k for k, r in geo.items() if r["un_member"].strip() == "1"}
    un = un_conv & un_geo
    for k in sorted(un_geo - un_conv):
        problems.append(
            f"country_geo.csv flags {k} as a UN member but "
            f"country_groups_country_converter.csv does not; {k} is a UN "
            f"observer state, not a member, and is excluded")
    for k in sorted(un_conv - un_geo):
        problems.append(f"{k} is a UN member in country_converter only; "
                        f"included")
        un.add(k)
    if len(un) != 193:
        sys.exit(f"expected 193 UN members, got {len(un)}")
    states = sorted(un | set(EXTRA_ROWS))
    stats["n_un"] = len(un)

    rows = {k: {"iso3": k} for k in states}
    imputed = {k: set() for k in states}

    # ---- name, region ---------------------------------------------------
    for k in states:
        rows[k]["name"] = NAME_OVERRIDES.get(k, geo[k]["name_common"])
        reg = regions.get(k)
        region = reg["region"] if reg else ""
        sub = reg["sub-region"] if reg else ""
        if not region:
            region, sub = REGION_OVERRIDES[k]
            imputed[k].update(["region", "subregion"])
            log.add("region", f"{k}: {region} / {sub} (blank in the UN M49 "
                    f"table; assigned)")
        rows[k]["region"] = region
        rows[k]["subregion"] = sub
    sub_of = {k: rows[k]["subregion"] for k in states}

    def sub_median(values, k, key):
        """Median of `values` (dict iso3 -> value) over k's sub-region."""
        pool = [v for s, v in values.items()
                if sub_of[s] == sub_of[k] and s != k]
        if not pool:
            sys.exit(f"no sub-region values for {k} ({key})")
        return median(pool), len(pool)

    # ---- GDP, population ------------------------------------------------
    gdp = wb_series(read_csv(data_dir, "wb_gdp_current_usd_2015plus.csv"))
    pop = wb_series(read_csv(data_dir, "wb_population_2015plus.csv"))
    for col, series, year, ext, scale in (
            ("gdp_usd_bn", gdp, GDP_YEAR, EXTERNAL_GDP, 1e9),
            ("population_m", pop, POP_YEAR, EXTERNAL_POP, 1e6)):
        for k in states:
            s = series.get(k, {})
            if year in s:
                rows[k][col] = s[year] / scale
                continue
            years = [y for y in s if y >= MIN_FALLBACK_YEAR]
            if years:
                y = max(years)
                rows[k][col] = s[y] / scale
                log.add(col + "_year", f"{k} ({y})")
                continue
            if k not in ext:
                sys.exit(f"{col}: no value for {k}")
            v, y, desc = ext[k]
            rows[k][col] = v
            imputed[k].add(col)
            log.add(col + "_ext", (k, v, y, desc))

    # ---- lat, lon -------------------------------------------------------
    for k in states:
        g = geo[k]
        lat, lon = num(g["capital_lat"]), num(g["capital_lng"])
        if lat is None or lon is None:
            lat, lon = num(g["centroid_lat"]), num(g["centroid_lng"])
            imputed[k].update(["lat", "lon"])
            log.add("latlon", f"{k}: centroid {lat:.2f}, {lon:.2f}")
        rows[k]["lat"], rows[k]["lon"] = lat, lon

    # ---- alignment ------------------------------------------------------
    ip = {}
    for r in read_csv(data_dir, "unga_idealpoints_2015plus.csv"):
        code = IDEALPOINT_CODE_FIX.get(r["iso3c"], r["iso3c"])
        v = num(r["idealpointfp"])
        if v is not None:
            ip.setdefault(code, {})[int(r["year"])] = v
    for old, new in IDEALPOINT_CODE_FIX.items():
        problems.append(f"unga_idealpoints: {new} is stored under the code "
                        f"{old} (COW 345); recoded to {new}")
    ipmean = {}
    ipyears = {}
    for k in states:
        s = ip.get(k, {})
        ys = [y for y in ALIGN_YEARS if y in s]
        if ys:
            ipmean[k] = sum(s[y] for y in ys) / len(ys)
            ipyears[k] = ys
            if len(ys) < len(ALIGN_YEARS):
                log.add("align_partial", f"{k} ({', '.join(map(str, ys))})")
    us, cn = ipmean["USA"], ipmean["CHN"]
    stats["ip_us"], stats["ip_cn"] = us, cn

    def to_align(x):
        return clamp(2.0 * (us - x) / (us - cn) - 1.0, -1.0, 1.0)

    align = {k: to_align(v) for k, v in ipmean.items()}
    direct_align = dict(align)
    for k in states:
        if k in align:
            continue
        if k in ("HKG", "MAC"):
            align[k] = 1.0
            imputed[k].add("alignment")
            log.add("alignment", f"{k}: +1 (foreign affairs conducted by "
                    f"China; proxy = China's position)")
        elif k == "TWN":
            continue
        elif ALIGN_OLDER_FALLBACK and ip.get(k):
            ys = sorted(ip[k])[-3:]
            x = sum(ip[k][y] for y in ys) / len(ys)
            align[k] = to_align(x)
            imputed[k].add("alignment")
            log.add("alignment", f"{k}: no final-passage ideal point in "
                    f"2022-2024; mean of its latest available years "
                    f"{ys[0]}-{ys[-1]} ({x:.3f}) -> {align[k]:.3f}")
        else:
            pool = [a for s, a in direct_align.items()
                    if s in sub_of and sub_of[s] == sub_of[k]]
            if not pool:
                sys.exit(f"no sub-region alignment values for {k}")
            align[k] = sum(pool) / len(pool)
            imputed[k].add("alignment")
            log.add("alignment", f"{k}: mean of {sub_of[k]} "
                    f"({len(pool)} states) = {align[k]:.3f}")
    align["TWN"] = (align["JPN"] + align["KOR"]) / 2.0
    imputed["TWN"].add("alignment")
    log.add("alignment", f"TWN: not a UN member; proxy = mean of JPN "
            f"({align['JPN']:.3f}) and KOR ({align['KOR']:.3f}) = "
            f"{align['TWN']:.3f}")
    in_force = ir_rows_at(ir_table, REFERENCE_DATE["current"], set(states))
    apply_alignment_overrides(align, imputed, log, in_force, ip, ALIGN_YEARS,
                              to_align, direct_align, sub_of)
    for k in states:
        rows[k]["alignment"] = align[k]

    # ---- trade shares -----------------------------------------------------
    tr = {}
    for r in read_csv(data_dir, "imf_dots_trade_usa_chn_2018_2020.csv"):
        tr.setdefault(r["iso3"], {})[r["year"]] = r
    shares = {}
    for k in states:
        got = None
        for y in TRADE_YEARS:
            r = tr.get(k, {}).get(y)
            if r is None:
                continue
            if r["basis"] == "reported":
                c, u = num(r["share_chn"]), num(r["share_usa"])
            else:
                c, u = (num(r["share_chn_partnerside"]),
                        num(r["share_usa_partnerside"]))
            if k == "CHN":
                c = 0.0
            if k == "USA":
                u = 0.0
            if c is None or u is None:
                continue
            got = (c, u, y, r["basis"])
            break
        if got:
            shares[k] = got
            if got[2] != TRADE_YEARS[0]:
                log.add("trade_year", f"{k} ({got[2]})")
            if got[3] == "mirror":
                log.add("trade_mirror", k)
    direct_c = {k: v[0] for k, v in shares.items()}
    direct_u = {k: v[1] for k, v in shares.items()}
    for k in states:
        if k in shares:
            c, u = shares[k][0], shares[k][1]
        else:
            c, nc = sub_median(direct_c, k, "china_trade_share")
            u, _ = sub_median(direct_u, k, "us_trade_share")
            imputed[k].update(["china_trade_share", "us_trade_share"])
            log.add("trade_sub", f"{k}: {sub_of[k]} median of {nc} states "
                    f"(China {c:.4f}, US {u:.4f})")
        if c + u > 1.0 + 1e-9:
            sys.exit(f"trade shares sum > 1 for {k}")
        rows[k]["china_trade_share"] = c
        rows[k]["us_trade_share"] = u

    # ---- internet, HDI -----------------------------------------------------
    net_s, hdi_s = {}, {}
    for r in read_csv(data_dir, "owid_internet_users_hdi_2015_2023.csv"):
        y = int(r["year"])
        v = num(r["internet_users_pct"])
        if v is not None:
            net_s.setdefault(r["iso3"], {})[y] = v
        h = num(r["hdi"])
        if h is not None:
            hdi_s.setdefault(r["iso3"], {})[y] = h
    internet = {}
    internet_src = {}
    for k in states:
        s = net_s.get(k, {})
        ys = [y for y in INTERNET_YEARS if y in s]
        if ys:
            internet[k] = s[max(ys)] / 100.0
            internet_src[k] = "direct"
            continue
        ys = [y for y in INTERNET_OLDER_YEARS if y in s]
        if ys:
            internet[k] = s[max(ys)] / 100.0
            internet_src[k] = "older"
            log.add("internet", f"{k}: no 2019-2023 value; latest earlier "
                    f"value ({max(ys)}: {s[max(ys)]:.2f}%)")
    direct_net = {k: v for k, v in internet.items()
                  if internet_src[k] == "direct"}
    for k in states:
        if k in internet:
            continue
        if k in LOWEST_OBSERVED:
            lo_k = min(direct_net, key=lambda s: (direct_net[s], s))
            internet[k] = direct_net[lo_k]
            log.add("internet", f"{k}: no value in any year; lowest value "
                    f"observed among the states ({lo_k} "
                    f"{direct_net[lo_k] * 100:.2f}%) instead of the "
                    f"{sub_of[k]} median, which would be implausible")
        else:
            v, n = sub_median(direct_net, k, "internet")
            internet[k] = v
            log.add("internet", f"{k}: no value in any year; {sub_of[k]} "
                    f"median of {n} states ({v * 100:.2f}%)")
        internet_src[k] = "imputed"
    hdi = {k: hdi_s[k][2023] for k in states
           if k in hdi_s and 2023 in hdi_s[k]}

    # ---- ai_capacity -------------------------------------------------------
    aipi_file = {}
    for r in read_csv(data_dir, "imf_aipi_2023.csv"):
        v = num(r["aipi"])
        if v is not None:
            aipi_file[r["iso3"]] = v
    ai = {k: aipi_file[k] for k in states if k in aipi_file}
    stats["n_aipi_file"] = len(ai)
    for k, v in sorted(AIPI_PRESS.items()):
        if k in ai:
            problems.append(f"AIPI press figure for {k} not needed "
                            f"(present in file)")
            continue
        ai[k] = v
        imputed[k].add("ai_capacity")
        log.add("ai_press", f"{k}: {v:.2f}")
    fit_set = sorted(k for k in states if k in aipi_file and k in hdi
                     and internet_src.get(k) == "direct")
    coef, r2 = ols([(hdi[k], internet[k]) for k in fit_set],
                   [aipi_file[k] for k in fit_set])
    stats["ai_fit"] = (coef, r2, len(fit_set))
    need = [k for k in states if k not in ai]
    for k in need:
        if k in hdi and internet_src.get(k) in ("direct", "older"):
            raw = coef[0] + coef[1] * hdi[k] + coef[2] * internet[k]
            ai[k] = clamp(raw, *AIPI_CLIP)
            imputed[k].add("ai_capacity")
            log.add("ai_ols", f"{k}: HDI {hdi[k]:.3f}, internet "
                    f"{internet[k] * 100:.1f}% -> {ai[k]:.3f}"
                    + (" (clipped)" if ai[k] != raw else ""))
    base_ai = dict(ai)
    for k in need:
        if k in ai:
            continue
        imputed[k].add("ai_capacity")
        miss = [n for n, ok in (("HDI", k in hdi),
                                ("internet", internet_src.get(k) in
                                 ("direct", "older"))) if not ok]
        if k in LOWEST_OBSERVED:
            lo_k = min(aipi_file.keys() & set(states),
                       key=lambda s: (aipi_file[s], s))
            ai[k] = aipi_file[lo_k]
            log.add("ai_sub", f"{k}: no AIPI, {' and '.join(miss)} missing; "
                    f"lowest AIPI in the IMF file ({lo_k} {ai[k]:.3f}) "
                    f"instead of the {sub_of[k]} median, which would be "
                    f"implausible")
        else:
            v, n = sub_median(base_ai, k, "ai_capacity")
            ai[k] = v
            log.add("ai_sub", f"{k}: no AIPI, {' and '.join(miss)} missing; "
                    f"{sub_of[k]} median of {n} states = {v:.3f}")
    for k in states:
        rows[k]["ai_capacity"] = ai[k]

    # ---- chip_dependence ------------------------------------------------
    tw = {}
    for r in read_csv(data_dir,
                      "taiwan_ic_exports_hs8542_by_destination_2019_2024.csv"):
        if r["year"] == "2023" and r["iso3"] in rows:
            v = num(r["tw_hs8542_exports_usd"])
            if v is not None and v > 0:
                tw[r["iso3"]] = tw.get(r["iso3"], 0.0) + v
    intensity = {k: v / (rows[k]["gdp_usd_bn"] * 1e9) for k, v in tw.items()}
    prank = pct_rank(intensity)
    stats["n_chip_importers"] = len(intensity)
    stats["chip_top"] = sorted(intensity, key=lambda s: -intensity[s])[:8]
    for k in states:
        cr = prank.get(k, 0.0)
        cd = 0.4 * internet[k] + 0.4 * ai[k] + 0.2 * cr
        rows[k]["chip_dependence"] = clamp(cd, 0.0, 1.0)
        rows[k]["_chip_rank"] = cr
        rows[k]["_internet"] = internet[k]

    # ---- export tier ----------------------------------------------------
    for k in states:
        t = mem[k]["ai_diffusion_tier_jan2025"].strip()
        if t not in ("1", "2", "3"):
            sys.exit(f"bad tier for {k}: {t!r}")
        rows[k]["export_tier"] = int(t)
    tier1 = sorted(k for k in states if rows[k]["export_tier"] == 1)
    stats["tier1"] = tier1
    if tier1 != TIER1_EXPECTED:
        problems.append(f"tier-1 list differs from the expected US + 18: "
                        f"extra {sorted(set(tier1) - set(TIER1_EXPECTED))}, "
                        f"missing {sorted(set(TIER1_EXPECTED) - set(tier1))}")
    stats["tier3"] = sorted(k for k in states if rows[k]["export_tier"] == 3)

    # ---- us_ally --------------------------------------------------------
    nato = sorted(k for k in states if mem[k]["nato_join_year"].strip())
    ally1 = set(nato) - {"USA"}
    ally1.update(US_TREATY_NON_NATO)
    ally1.update(US_COMPACT_STATES)
    ally05 = (set(US_MNNA) | set(RIO_TREATY_OTHERS)) - ally1 - {"USA"}
    for k in states:
        rows[k]["us_ally"] = 1.0 if k in ally1 else (0.5 if k in ally05
                                                     else 0.0)
    stats["nato"] = nato
    stats["ally1"] = sorted(ally1)
    stats["ally05"] = sorted(ally05)

    # ---- democracy ------------------------------------------------------
    vd = {}
    for r in read_csv(data_dir, "vdem_democracy_2015_2023.csv"):
        v = num(r["v2x_libdem"])
        if v is not None:
            vd.setdefault(r["vdem_code"], {})[int(r["year"])] = v
    fh = {}
    for r in read_csv(data_dir, "freedomhouse_fiw_2018_2024.csv"):
        if r["edition"] == FH_EDITION and r["iso3"].strip():
            v = num(r["total_0to100"])
            if v is not None:
                fh[r["iso3"]] = v
    dem = {}
    for k in states:
        s = vd.get(k)
        if s:
            y = VDEM_YEAR if VDEM_YEAR in s else max(s)
            dem[k] = s[y]
            if y != VDEM_YEAR:
                log.add("dem_year", f"{k} ({y})")
    fit_d = sorted(k for k in dem if k in fh)
    dcoef, dr2 = ols([(fh[k] / 100.0,) for k in fit_d], [dem[k] for k in fit_d])
    stats["dem_fit"] = (dcoef, dr2, len(fit_d))
    for k in states:
        if k in dem:
            continue
        imputed[k].add("democracy")
        if k in fh:
            raw = dcoef[0] + dcoef[1] * fh[k] / 100.0
            dem[k] = clamp(raw, 0.0, 1.0)
            log.add("dem_fh", f"{k}: FH {fh[k]:.0f} -> {dem[k]:.3f}"
                    + (" (clipped)" if dem[k] != raw else ""))
    for k in states:
        if k not in dem:
            if k == "MAC":
                dem[k] = dem["CHN"]
                log.add("dem_other", f"MAC: in neither V-Dem nor Freedom "
                        f"House; China's value ({dem['CHN']:.3f})")
            else:
                sys.exit(f"no democracy value for {k}")
        rows[k]["democracy"] = dem[k]

    # ---- blocs ----------------------------------------------------------
    for k in states:
        m = mem[k]
        b = set()
        if m["nato_join_year"].strip():
            b.add("NATO")
        if m["eu27"].strip() == "1":
            b.add("EU")
        if m["g7"].strip() == "1":
            b.add("G7")
        if m["g20_country"].strip() == "1":
            b.add("G20")
        if m["oecd_join_year"].strip():
            b.add("OECD")
        if m["apec"].strip() == "1":
            b.add("APEC")
        if m["asean_join_year"].strip():
            b.add("ASEAN")
        if m["sco_member_year"].strip():
            b.add("SCO")
        if m["brics_member_year"].strip():
            b.add("BRICS")
        if m["brics_partner_date"].strip():
            b.add("BRICS_PARTNER")
        if (m["gpai_oecd_integrated_2024"].strip() == "1"
                or m["gpai_join"].strip()):
            b.add("GPAI")
        if k in un and rows[k]["region"] == "Africa":
            b.add("AU")
        if k in GCC:
            b.add("GCC")
        if k in un and rows[k]["subregion"] == "Latin America and the Caribbean":
            b.add("CELAC")
        if k in ARAB_LEAGUE:
            b.add("ARAB_LEAGUE")
        if k in EAEU:
            b.add("EAEU")
        rows[k]["blocs"] = ";".join(sorted(b))
    bloc_counts = {}
    for k in states:
        for b in rows[k]["blocs"].split(";"):
            if b:
                bloc_counts[b] = bloc_counts.get(b, 0) + 1
    stats["bloc_counts"] = bloc_counts

    for k in states:
        rows[k]["bias"] = 0.0
        rows[k]["imputed"] = ";".join(sorted(imputed[k]))
    stats["roc"] = apply_eligibility(rows, states, data_dir, "current")
    apply_ir_columns(rows, states, in_force)
    stats["ir_in_force"] = in_force
    stats["ir_table"] = ir_table

    # ---- trade matrix ---------------------------------------------------
    reports = {}
    seen = set()
    zero_reports = 0
    for r in read_csv(data_dir, "imf_dots_bilateral_2019_2020.csv"):
        if r["year"] != "2019":
            continue
        a, b = r["reporter_iso3"], r["partner_iso3"]
        if a not in rows or b not in rows or a == b:
            continue
        if (a, b) in seen:
            sys.exit(f"duplicate DOTS row {a} {b}")
        seen.add((a, b))
        e, i = num(r["exports_fob_musd"]), num(r["imports_cif_musd"])
        if e is None and i is None:
            continue
        v = (e or 0.0) + (i or 0.0)
        if v <= 0:
            zero_reports += 1
            continue
        key = (a, b) if a < b else (b, a)
        reports.setdefault(key, {})[a] = v
    stats["zero_reports"] = zero_reports
    pair_val = {}
    n_two = n_one = 0
    for key, rep in reports.items():
        v = sum(rep.values()) / len(rep)
        if round(v, 1) <= 0:
            continue
        pair_val[key] = v
        if len(rep) == 2:
            n_two += 1
        else:
            n_one += 1
    partners = {}
    for (a, b), v in pair_val.items():
        partners.setdefault(a, []).append((v, b))
        partners.setdefault(b, []).append((v, a))
    top = {}
    for k, lst in partners.items():
        lst.sort(key=lambda t: (-t[0], t[1]))
        top[k] = {p for _, p in lst[:TRADE_TOP_N]}
    kept = sorted(key for key in pair_val
                  if key[1] in top.get(key[0], ()) or
                  key[0] in top.get(key[1], ()))
    trade_rows = [(a, b, pair_val[(a, b)]) for a, b in kept]
    deg = {k: 0 for k in states}
    for a, b, _ in trade_rows:
        deg[a] += 1
        deg[b] += 1
    stats["trade_pairs_all"] = len(pair_val)
    stats["trade_pairs_two"] = n_two
    stats["trade_pairs_one"] = n_one
    stats["trade_rows"] = len(trade_rows)
    stats["deg"] = deg
    reporters = sorted({a for (a, _) in seen})
    stats["dots_reporters"] = len(reporters)

    return rows, states, trade_rows, log, stats, problems


def build_2015(data_dir, rows, states, ir_table):
    """Rebuild the time-dependent columns of `rows` (the current vintage)
    as of early 2015, in place. Returns (log, stats, problems)."""
    log = Log()
    stats = {}
    problems = []
    cur = {k: dict(rows[k]) for k in states}
    stats["current"] = cur
    un = [k for k in states if k not in EXTRA_ROWS]
    sub_of = {k: rows[k]["subregion"] for k in states}
    mem = {r["iso3"]: r for r in read_csv(data_dir, "memberships_2026.csv")}
    rebuilt = {"gdp_usd_bn", "population_m", "alignment", "democracy"}
    imputed = {k: set(c for c in rows[k]["imputed"].split(";") if c)
               - rebuilt for k in states}

    # ---- GDP, population (2015) -----------------------------------------
    gdp = wb_series(read_csv(data_dir, "wb_gdp_current_usd_2015plus.csv"))
    pop = wb_series(read_csv(data_dir, "wb_population_2015plus.csv"))
    for k in states:
        s = pop.get(k, {})
        if V15_YEAR in s:
            rows[k]["population_m"] = s[V15_YEAR] / 1e6
        else:
            v, y, desc = V15_EXTERNAL_POP[k]
            rows[k]["population_m"] = v
            imputed[k].add("population_m")
            log.add("population_m_ext", (k, v, y, desc))
    for k in states:
        s = gdp.get(k, {})
        if V15_YEAR in s:
            rows[k]["gdp_usd_bn"] = s[V15_YEAR] / 1e9
            continue
        v, y, desc = V15_EXTERNAL_GDP[k]
        if k == "VEN":
            v = V15_VEN_GDP_PER_CAPITA * rows[k]["population_m"] / 1e3
        rows[k]["gdp_usd_bn"] = v
        imputed[k].add("gdp_usd_bn")
        log.add("gdp_usd_bn_ext", (k, v, y, desc))

    # ---- alignment (UNGA ideal points 2015) -------------------------------
    ip = {}
    for r in read_csv(data_dir, "unga_idealpoints_2015plus.csv"):
        code = IDEALPOINT_CODE_FIX.get(r["iso3c"], r["iso3c"])
        v = num(r["idealpointfp"])
        if v is not None:
            ip.setdefault(code, {})[int(r["year"])] = v
    ipv = {}
    for k in states:
        s = ip.get(k, {})
        for y in V15_ALIGN_YEARS:
            if y in s:
                ipv[k] = s[y]
                if y != V15_ALIGN_YEARS[0]:
                    log.add("align_year", f"{k} ({y})")
                break
    us, cn = ipv["USA"], ipv["CHN"]
    stats["ip_us"], stats["ip_cn"] = us, cn

    def to_align(x):
        return clamp(2.0 * (us - x) / (us - cn) - 1.0, -1.0, 1.0)

    align = {k: to_align(v) for k, v in ipv.items()}
    stats["n_align_direct"] = len(align)
    stats["align_clamped"] = sorted(k for k, v in ipv.items()
                                    if k != "CHN" and v <= cn)
    direct_align = dict(align)
    for k in states:
        if k in align or k == "TWN":
            continue
        if k in ("HKG", "MAC"):
            align[k] = 1.0
            imputed[k].add("alignment")
            log.add("alignment", f"{k}: +1 (foreign affairs conducted by "
                    f"China; proxy = China's position)")
            continue
        pool = [a for s, a in direct_align.items() if sub_of[s] == sub_of[k]]
        if not pool:
            sys.exit(f"no sub-region alignment values for {k}")
        align[k] = sum(pool) / len(pool)
        imputed[k].add("alignment")
        log.add("alignment", f"{k}: mean of {sub_of[k]} ({len(pool)} "
                f"states) = {align[k]:.3f}")
    align["TWN"] = (align["JPN"] + align["KOR"]) / 2.0
    imputed["TWN"].add("alignment")
    log.add("alignment", f"TWN: not a UN member; proxy = mean of JPN "
            f"({align['JPN']:.3f}) and KOR ({align['KOR']:.3f}) = "
            f"{align['TWN']:.3f}")
    in_force = ir_rows_at(ir_table, REFERENCE_DATE["2015"], set(states))
    apply_alignment_overrides(align, imputed, log, in_force, ip,
                              V15_ALIGN_YEARS, to_align, direct_align, sub_of)
    for k in states:
        rows[k]["alignment"] = align[k]

    # ---- democracy (V-Dem 2015) --------------------------------------------
    vd = {}
    for r in read_csv(data_dir, "vdem_democracy_2015_2023.csv"):
        v = num(r["v2x_libdem"])
        if v is not None:
            vd.setdefault(r["vdem_code"], {})[int(r["year"])] = v
    fh = {}
    for r in read_csv(data_dir, "freedomhouse_fiw_2018_2024.csv"):
        if r["edition"] == V15_FH_EDITION and r["iso3"].strip():
            if int(r["data_year"]) != V15_FH_DATA_YEAR:
                sys.exit("Freedom House edition/data year mismatch")
            v = num(r["total_0to100"])
            if v is not None:
                fh[r["iso3"]] = v
    dem = {k: vd[k][V15_VDEM_YEAR] for k in states
           if V15_VDEM_YEAR in vd.get(k, {})}
    fit_d = sorted(k for k in states if k in fh
                   and V15_FH_DATA_YEAR in vd.get(k, {}))
    dcoef, dr2 = ols([(fh[k] / 100.0,) for k in fit_d],
                     [vd[k][V15_FH_DATA_YEAR] for k in fit_d])
    stats["dem_fit"] = (dcoef, dr2, len(fit_d))
    for k in states:
        if k in dem:
            continue
        imputed[k].add("democracy")
        if k in fh:
            raw = dcoef[0] + dcoef[1] * fh[k] / 100.0
            dem[k] = clamp(raw, 0.0, 1.0)
            log.add("dem_fh", f"{k}: FH {fh[k]:.0f} -> {dem[k]:.3f}"
                    + (" (clipped)" if dem[k] != raw else ""))
        elif k == "MAC":
            dem[k] = dem["CHN"]
            log.add("dem_other", f"MAC: in neither V-Dem nor Freedom House; "
                    f"China's 2015 value ({dem['CHN']:.3f})")
        else:
            sys.exit(f"no 2015 democracy value for {k}")
    for k in states:
        rows[k]["democracy"] = dem[k]

    # ---- blocs (as of 2015-03) ---------------------------------------------
    def joined_by(cell, year):
        cell = cell.strip()
        return bool(cell) and int(cell[:4]) <= year

    for k in states:
        m = mem[k]
        b = set()
        if joined_by(m["nato_join_year"], V15_YEAR):
            b.add("NATO")
        if m["eu27"].strip() == "1" or k == "GBR":
            b.add("EU")
        if m["g7"].strip() == "1":
            b.add("G7")
        if m["g20_country"].strip() == "1":
            b.add("G20")
        if joined_by(m["oecd_join_year"], V15_YEAR):
            b.add("OECD")
        if m["apec"].strip() == "1":
            b.add("APEC")
        if joined_by(m["asean_join_year"], V15_YEAR):
            b.add("ASEAN")
        if joined_by(m["sco_member_year"], V15_YEAR):
            b.add("SCO")
        if joined_by(m["brics_member_year"], V15_YEAR):
            b.add("BRICS")
        if (k in un and rows[k]["region"] == "Africa"
                and k not in V15_AU_EXCLUDE):
            b.add("AU")
        if k in GCC:
            b.add("GCC")
        if (k in un and
                rows[k]["subregion"] == "Latin America and the Caribbean"):
            b.add("CELAC")
        if k in V15_ARAB_LEAGUE:
            b.add("ARAB_LEAGUE")
        if k in V15_EAEU:
            b.add("EAEU")
        rows[k]["blocs"] = ";".join(sorted(b))
    bloc_counts = {}
    for k in states:
        for b in rows[k]["blocs"].split(";"):
            if b:
                bloc_counts[b] = bloc_counts.get(b, 0) + 1
    if bloc_counts != V15_BLOC_EXPECTED:
        sys.exit(f"2015 bloc sizes {bloc_counts} differ from the expected "
                 f"{V15_BLOC_EXPECTED}")
    stats["bloc_counts"] = bloc_counts

    # ---- us_ally (2015 memberships and designations) -------------------
    nato = sorted(k for k in states if "NATO" in rows[k]["blocs"].split(";"))
    ally1 = ((set(nato) - {"USA"}) | set(US_TREATY_NON_NATO)
             | set(US_COMPACT_STATES))
    ally05 = ((set(V15_US_MNNA) | set(V15_RIO_TREATY_OTHERS)) - ally1
              - {"USA"})
    for k in states:
        rows[k]["us_ally"] = 1.0 if k in ally1 else (0.5 if k in ally05
                                                     else 0.0)
    stats["ally1"] = sorted(ally1)
    stats["ally05"] = sorted(ally05)

    for k in states:
        rows[k]["imputed"] = ";".join(sorted(imputed[k]))
    stats["roc"] = apply_eligibility(rows, states, data_dir, "2015")
    apply_ir_columns(rows, states, in_force)
    stats["ir_in_force"] = in_force
    stats["ir_table"] = ir_table
    return log, stats, problems


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

def nation_record(r):
    return [
        r["iso3"], r["name"], r["region"], r["subregion"],
        fmt(r["gdp_usd_bn"], 3), fmt(r["population_m"], 3),
        fmt(r["lat"], 2), fmt(r["lon"], 2),
        fmt(r["alignment"], 3),
        fmt(r["china_trade_share"], 4), fmt(r["us_trade_share"], 4),
        fmt(r["ai_capacity"], 3), fmt(r["chip_dependence"], 3),
        str(r["export_tier"]), fmt(r["us_ally"], 1),
        fmt(r["democracy"], 3), r["blocs"], fmt(r["bias"], 1),
    ] + [str(r[c]) for c in IR_COLUMNS] + [r["imputed"]]


def validate(rows, states, trade_rows):
    assert len(states) == 196, len(states)
    for k in states:
        r = rows[k]
        for c in ("gdp_usd_bn", "population_m", "lat", "lon", "alignment",
                  "china_trade_share", "us_trade_share", "ai_capacity",
                  "chip_dependence", "us_ally", "democracy", "bias"):
            assert isinstance(r[c], float) and math.isfinite(r[c]), (k, c)
        assert r["gdp_usd_bn"] > 0 and r["population_m"] > 0, k
        assert -1 <= r["alignment"] <= 1, k
        assert 0 <= r["china_trade_share"] <= 1, k
        assert 0 <= r["us_trade_share"] <= 1, k
        assert r["china_trade_share"] + r["us_trade_share"] <= 1, k
        assert 0 <= r["ai_capacity"] <= 1, k
        assert 0 <= r["chip_dependence"] <= 1, k
        assert 0 <= r["democracy"] <= 1, k
        assert r["us_ally"] in (0.0, 0.5, 1.0), k
        assert r["export_tier"] in (1, 2, 3), k
        assert r["region"] in ("Africa", "Americas", "Asia", "Europe",
                               "Oceania"), k
        assert r["name"] and r["subregion"], k
        for c in IR_COLUMNS:
            assert r[c] in (0, 1, 2) and (r[c] < 2 or
                                          c == "dispute_with_host"), (k, c)
    assert rows["USA"]["alignment"] == -1.0
    assert rows["CHN"]["alignment"] == 1.0
    for a, b, v in trade_rows:
        assert a < b and a in rows and b in rows and v > 0


def write_csv(path, header, records):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for rec in records:
            w.writerow(rec)


def bullet(items):
    return "\n".join(f"- {t}" for t in items) if items else "- (none)"


def ir_period(row):
    if row["since"] and row["until"]:
        return f"{row['since']} to {row['until']}"
    if row["since"]:
        return f"from {row['since']}"
    return f"until {row['until']}" if row["until"] else "no dates"


def ir_row_text(row):
    src = row["source"] or "none (not coded)"
    return (f"{row['iso3']} = {row['value']} ({ir_period(row)}): "
            f"{row['reason']}. Sources: {src}.")


def ir_column_lists(rows, states, col, default):
    vals = {}
    for k in states:
        if rows[k][col] != default:
            vals.setdefault(rows[k][col], []).append(k)
    return "; ".join(f"{v}: {' '.join(ks)} ({len(ks)})"
                     for v, ks in sorted(vals.items(), reverse=True))


COMPACT_NOTE = (
    "The Federated States of Micronesia, the Marshall Islands and Palau "
    "(FSM MHL PLW) are 1: under the Compacts of Free Association (in force "
    "since 1986 for FSM and MHL, 1994 for Palau, renewed in 2024) the "
    "United States holds full authority and responsibility for their "
    "defence (Title Three), a stronger tie than an alliance treaty "
    "(CRS In Focus, 'The Compacts of Free Association', updated "
    "2024-04-25; Akin Gump, 'Compacts Renewal Ushers in New Era', 2024-03). "
    "Earlier versions of this file had them at 0.")


IR_DEFINITIONS = {
    "dispute_with_host": (
        "Territorial or maritime dispute with the host (China): 2 = active, "
        "with recurring incidents (confrontations of state vessels or "
        "troops, or military exercises aimed at the claim, in recent "
        "years); 1 = dormant or of low salience (a claim handled by "
        "negotiation or quiet diplomacy, incidents rare or played down by "
        "the state's government); 0 = none. The line between 1 and 2 is a "
        "judgement on salience, stated for each row."),
    "hosts_us_forces": (
        "1 if, on the reference date, US military forces are stationed in "
        "the state with its government's consent, permanently or in "
        "continuous rotation: a US installation, a US enclave in a host "
        "base, or agreed facilities with a standing US unit (including "
        "one under a defence cooperation agreement). Not counted: an "
        "agreement alone (status-of-forces or defence cooperation "
        "agreements give the legal frame; about two dozen NATO members "
        "have one), exercises, port visits, prepositioned stocks without a "
        "US unit, embassy security-cooperation offices, multinational "
        "missions, and presence without the host government's consent. "
        "This is a different fact from the `us_ally` treaty flag; most "
        "treaty allies in Europe have both."),
    "alignment_stale": (
        "1 if the government changed so that the UN-vote ideal points "
        "behind `alignment` no longer describe the state's line, or the "
        "state's UN votes in the data were cast by representatives of a "
        "displaced government; `alignment` is then overridden (and marked "
        "`alignment` in `imputed`) by the row's rule: `new_votes` = the "
        "mapping of the mean ideal point of the window years whose votes "
        "the new government cast (a year counts if the government took "
        "office before 1 September of it: the General Assembly's session "
        "opens in mid-September and most recorded votes fall in "
        "October-December); `subregion_mean` = the mean `alignment` of the "
        "other states of the UN M49 sub-region with a direct (not "
        "overridden) value, the file's rule for a state without votes. "
        "Both are judgements: the first trusts one or two years of votes, "
        "the second is a neutral prior for a government whose UN line is "
        "not yet observable."),
}


def ir_sources_lines(rows, states, stats, log, vintage):
    """The SOURCES.md sections of the five eligibility and IR columns."""
    ref = REFERENCE_DATE[vintage]
    allies, neither = stats["roc"]
    in_force = stats["ir_in_force"]
    L = []
    a = L.append
    a("### recognises_host")
    a("")
    a("1 if the state had diplomatic relations with the government of the "
      f"People's Republic of China (the host) on {ref}, 0 otherwise. "
      "Derived from the data directory's `roc_recognition_changes.csv`: "
      "a UN member state listed there is 0 unless it had switched to the "
      "PRC by the reference date (`switched_to_prc_on` on or before it); "
      "the Holy See, also listed, is not a row. The result is checked "
      "against the lists verified below; the script stops if the file "
      "disagrees.")
    a("")
    a(f"- Recognising the Republic of China ({len(allies)}): "
      + " ".join(allies) + ".")
    if neither:
        a("- No relations with either government: " + " ".join(neither)
          + " (The Gambia broke with Taipei on 2013-11-14 and resumed "
          "relations with Beijing only on 2016-03-17; it did not recognise "
          "the host's government on the reference date).")
    a("- TWN: 0. Taiwan's government has no diplomatic relations with the "
      "PRC's government; `sovereign` = 0 is the primary reason it cannot "
      "join, so a scenario that admits Taiwan as a non-sovereign "
      "participant must also give it a `recognition` event.")
    a("- HKG, MAC: 1. They are parts of the PRC, so recognition is not the "
      "question; their exclusion is carried by `sovereign` = 0.")
    a("- BTN: 1 (judgement). Bhutan has formal diplomatic relations with "
      "no permanent member of the Security Council, China included, but it "
      "does not recognise the ROC and negotiates directly with the PRC's "
      "government (25 rounds of boundary talks, the 25th in Beijing on "
      "2023-10-23/24, Bhutan MFA joint press release of 2023-10-27); it "
      "does not withhold recognition.")
    if vintage == "current":
        a("- Sources: AP, 'Nauru switches diplomatic recognition from "
          "Taiwan to China', 2024-01-15 (Taiwan left with 11 countries "
          "and the Vatican: seven in Latin America and the Caribbean, three "
          "in the Pacific, one in Africa); Xinhua, 2023-03-26 (Honduras); "
          "Brisbane Times, 2024-01-15 (Nauru). Switch dates after 2015 "
          "are those of the data file; only their order relative to the "
          "reference date matters here, and the lists above agree with "
          "the dated counts in the sources.")
    else:
        a("- Sources: AFP, 'China and Gambia resume diplomatic ties', "
          "2016-03-17 (after the Gambia's break in 2013 Taiwan had ties "
          "with 22 states, Holy See included) and China Daily / gov.cn, "
          "2016-03-18 (Gambia); AP, 'Taiwan down to 20 allies', "
          "2017-06-13 (list after Panama's switch, which followed Sao "
          "Tome and Principe in December 2016); Mothership, 'Taiwan left "
          "with 18 diplomatic allies', 2018-05-26 (list after the "
          "Dominican Republic and Burkina Faso). The 21 UN members above "
          "plus the Holy See are those 22.")
    a("")
    a("### sovereign")
    a("")
    a("0 for " + " ".join(NON_SOVEREIGN) + ", 1 otherwise. Hong Kong and "
      "Macau are special administrative regions of the PRC, and the PRC "
      "claims Taiwan: none is a separate actor for a China-hosted body "
      "by default. A scenario may admit them as non-sovereign "
      "participants (the AIIB admitted Hong Kong in 2017).")
    for attr in ("dispute_with_host", "hosts_us_forces", "alignment_stale"):
        a("")
        a(f"### {attr}")
        a("")
        a(IR_DEFINITIONS[attr])
        a("")
        a("From the project's table `tools/data/ir_attributes.csv` (see "
          "\"IR attribute table\" below): the rows in force on "
          f"{ref}; states without such a row are 0. Values: "
          + (ir_column_lists(rows, states, attr, 0) or "none") + ".")
        a("")
        on = [r for r in in_force if r["attribute"] == attr]
        a("Rows in force, with the reason and sources:")
        a("")
        a(bullet([ir_row_text(r) for r in on]))
        off = [r for r in stats["ir_table"] if r["attribute"] == attr
               and not ir_applies(r, ref)]
        if off:
            a("")
            a(f"Rows of the table not in force on {ref}: " + "; ".join(
                f"{r['iso3']} = {r['value']} ({ir_period(r)})"
                for r in sorted(off, key=lambda r: (r["iso3"], r["since"])))
              + ".")
        if attr == "alignment_stale":
            a("")
            a("Overridden values (old -> new):")
            a("")
            a(bullet(log.get("align_stale")))
    return L


def ir_table_lines():
    return [
        "### IR attribute table (tools/data/ir_attributes.csv)",
        "",
        "A project-owned input of this script (not in the data "
        "directory), one row per state, attribute and period: `iso3`, "
        "`attribute` (`dispute_with_host`, `hosts_us_forces`, "
        "`alignment_stale`), `value`, `since` (inclusive) and `until` "
        "(exclusive; empty = open), as YYYY, YYYY-MM or YYYY-MM-DD, missing "
        "parts read as the first month or day; `override` (the rule for "
        "`alignment_stale` = 1 rows), `reason`, `source`. A row applies to "
        "a vintage when `since` <= the reference date < `until`. Rows with "
        "value 0 record cases that were reviewed and decided against, with "
        "the reason. Sources are the news reports, official statements and "
        "research notes named in each row (found and read for this "
        "table); a row whose source says 'standard fact; not re-verified "
        "here' rests on widely documented facts that were not checked "
        "against a retrieved source, and one saying 'not verified' is a "
        "case left at 0 for want of a source. The table was compiled "
        "from a list of candidate cases written from memory; every row "
        "kept was checked as described, and cases without support were "
        "dropped or set to 0. Reference dates: the current vintage "
        f"describes {REFERENCE_DATE['current']} (the baseline's start), "
        f"the 2015 vintage {REFERENCE_DATE['2015']} (the closing of the "
        "AIIB founding list).",
    ]


def sources_md(rows, states, trade_rows, log, stats, problems):
    c, r2, n = stats["ai_fit"]
    dc, dr2, dn = stats["dem_fit"]
    deg = stats["deg"]
    few = sorted(k for k in states if deg[k] < 20)
    maxdeg = max(deg.values())
    top_deg = sorted(k for k in states if deg[k] == maxdeg)
    ext_gdp = [f"{k}: US$ {v:.3f} bn ({y}) — {d}"
               for k, v, y, d in log.get("gdp_usd_bn_ext")]
    ext_pop = [f"{k}: {v:.3f} million ({y}) — {d}"
               for k, v, y, d in log.get("population_m_ext")]
    imputed_rows = [f"{k}: {rows[k]['imputed']}" for k in states
                    if rows[k]["imputed"]]
    bc = stats["bloc_counts"]
    L = []
    a = L.append
    a("# World data: sources and derivations")
    a("")
    a("This directory holds the world the simulation starts from:")
    a("")
    a("- `nations.csv`: one row per state (193 UN member states plus Taiwan, "
      "Hong Kong and Macau; 196 rows, sorted by `iso3`). The five "
      "eligibility and IR columns (`recognises_host`, `sovereign`, "
      "`dispute_with_host`, `hosts_us_forces`, `alignment_stale`) follow "
      "`bias`; `imputed`, which documents proxies and is not read by the "
      "model, is the last column. The loader reads columns by name.")
    a("- `trade.csv`: bilateral goods trade in 2019 between those states "
      "(unordered pairs, US$ millions).")
    a("")
    a("Both files are generated; do not edit them by hand. Regenerate with")
    a("")
    a("```")
    a("python3 tools/build_world.py --data DATA_DIR --out scenarios/world")
    a("```")
    a("")
    a("where `DATA_DIR` (the data directory passed with `--data`) holds the "
      "CSV extracts listed in the next section. The script uses only the "
      "Python 3.11 standard library and is deterministic (same inputs, same "
      "output bytes). It also writes this file, so the numbers below always "
      "match the data.")
    a("")
    a("## Input datasets")
    a("")
    a("Each input is a CSV extract (columns and years trimmed, names mapped "
      "to ISO 3166 alpha-3) of a public dataset. The upstream copy used "
      "(repository and commit) is given so that the extract can be rebuilt; "
      "the original publisher is where the data can be obtained.")
    a("")
    a("| extract (in the data directory) | dataset | publisher / where to get it | upstream copy used (commit) | licence / terms |")
    a("|---|---|---|---|---|")
    a("| `wb_gdp_current_usd_2015plus.csv` | World Bank World Development Indicators, NY.GDP.MKTP.CD (GDP, current US$), 2015-2023 | World Bank, https://data.worldbank.org/indicator/NY.GDP.MKTP.CD | github datasets/gdp `data/gdp.csv`, commit 822019c80142c162e4ca4eb1a63699ae36075078 | ODC-PDDL-1.0 (package); WDI data CC BY 4.0 |")
    a("| `wb_population_2015plus.csv` | World Bank WDI, SP.POP.TOTL (population, total), 2015-2024 | World Bank, https://data.worldbank.org/indicator/SP.POP.TOTL | github datasets/population `data/population.csv`, commit 425fc447a53a26c767a15a7de60c4cc2478a0595 | ODC-PDDL-1.0 (package); WDI data CC BY 4.0 |")
    a("| `iso3166_regions.csv` | ISO 3166 codes with UN M49 region / sub-region | UN Statistics Division M49, https://unstats.un.org/unsd/methodology/m49/ | github lukes/ISO-3166-Countries-with-Regional-Codes `all/all.csv`, commit 145f1ad3caff212ed25f42b0ee2c8b92a75af895 | CC BY-SA 4.0 |")
    a("| `country_geo.csv` | capital coordinates, centroids, UN membership flag | mledoze/countries (https://github.com/mledoze/countries) and REST Countries (https://github.com/restcountries/restcountries) | mledoze/countries `countries.json`, commit 5e9f370050f83ad2ba4cb885f75d66114badf72c; restcountries `src/main/resources/countriesV3.1.json`, commit bfadee4f951682c29970e53677707bc558e80b74 | ODbL-1.0 (mledoze); MPL-2.0 (restcountries) |")
    a("| `country_groups_country_converter.csv` | UN membership year and group flags | country_converter (Stadler 2017, JOSS 2(16):332), https://github.com/IndEcol/country_converter | `country_converter/country_data.tsv`, commit 4d579e756168d0b6515a40a7406d058d413d676a | GPL-3.0 |")
    a("| `unga_idealpoints_2015plus.csv` | UN General Assembly ideal points, year-based release of July 2025 (`idealpointfp`, final-passage votes) | Erik Voeten, Harvard Dataverse, doi:10.7910/DVN/LEJUQZ; method: Bailey, Strezhnev & Voeten (2017), *Journal of Conflict Resolution* 61(2):430-456 | `IdealpointsJuly2025.dta` in github lucasbuildsapps/Masterthesis, commit 5298218d5b57e5b09223b124b25c03dc37ed646e | Harvard Dataverse terms (licence of the 2025 file not stated in the copy used); cite Bailey, Strezhnev & Voeten 2017 |")
    a("| `imf_dots_trade_usa_chn_2018_2020.csv`, `imf_dots_bilateral_2019_2020.csv` | IMF Direction of Trade Statistics (DOTS), goods exports FOB / imports CIF by partner, 2018-2020, as downloaded Feb 2022 | International Monetary Fund, https://data.imf.org (DOTS) | github SamLeBlanc/Direction-of-Trade-Map `data/DOTS/DOTS_*.xlsx`, commit a0b40afbac7cefc59a4b35c1ebe541ac546aafad (files added in a769819d9b25a21a362d6cabfb10f150903f834d); US/China shares derived from the same files | IMF terms of use (reuse with attribution); repository code MIT |")
    a("| `imf_aipi_2023.csv` | IMF AI Preparedness Index (AIPI), 2023 vintage | IMF DataMapper, https://www.imf.org/external/datamapper/aipidata.xlsx; Cazzaniga et al. (2024), *Gen-AI: Artificial Intelligence and the Future of Work*, IMF Staff Discussion Note SDN/2024/001 | copy of `aipidata.xlsx` in github orelafifo/AI-ANALYSIS `data/aipidata.xlsx`, commit d8c645dbe01451d0f214593df42c547af7fdf7bc | IMF terms of use |")
    a("| `owid_internet_users_hdi_2015_2023.csv` | Individuals using the Internet (% of population; ITU via World Bank IT.NET.USER.ZS) and UNDP Human Development Index, 2015-2023 | Our World in Data grapher `share-of-individuals-using-the-internet` and `human-development-index` (UNDP Human Development Report 2025), https://ourworldindata.org | github mthavarajah/global_financial_resilience_index `datasets/internet/internet.csv`, `datasets/hdi/hdi.csv`, commit 9138d6f3298788ab602525afa9a8d59ac9b0bc2d | CC BY 4.0 (OWID; ITU/World Bank); UNDP HDI with attribution |")
    a("| `vdem_democracy_2015_2023.csv` | V-Dem v14, `v2x_libdem` (liberal democracy index), 2015-2023 | V-Dem Institute, https://v-dem.net; Coppedge et al. (2024), V-Dem Country-Year Dataset v14 | github eteitelbaum/vdemlite `data/vdemlite.rda`, commit a992948a1cf30282f6ccac4a06f9e53222ce1006 | CC BY-SA 4.0 |")
    a("| `freedomhouse_fiw_2018_2024.csv` | Freedom House, Freedom in the World, editions 2018-2024 (`total_0to100`) | Freedom House, https://freedomhouse.org/report/freedom-world | github pachadotdev/freedomhouse `dev/All_data_FIW_2013-2024.xlsx`, commit 6f484848146f7d05bc94611d71387f3441ac1c6d | © Freedom House, free use with citation; package CC0 |")
    a("| `taiwan_ic_exports_hs8542_by_destination_2019_2024.csv` | Taiwan exports of HS 8542 (electronic integrated circuits) by destination, US$, 2019-2024 | Taiwan Ministry of Finance customs statistics, https://portal.sw.nat.gov.tw/APGA/GA30E | github a0013333j-png/data-visualization-labs `.../semiconductor-tariff-impact-taiwan/data/raw/taiwan_exports_by_country_2013_2025.csv`, commit 5dff286360fd4f78e50ed2b56491ddf48b3a9207 | government open data (licence not verified); repository has no licence |")
    a("| `memberships_2026.csv` | compiled memberships: NATO, EU, G7, G20, OECD, APEC, ASEAN, SCO, BRICS (members, partners), GPAI, US AI-diffusion export tiers (January 2025 rule) | compiled from official and news sources (organisation web sites; US BIS Interim Final Rule on AI diffusion, 90 FR 4544, 15 January 2025) | compilation of public facts | facts, not copyrightable |")
    a("| `roc_recognition_changes.csv` | the states recognising the Republic of China (Taiwan) in 2025 and the switches to the PRC since 2013, with dates | compiled from the ROC Ministry of Foreign Affairs ally list and news of record; checked here against dated news reports (see `recognises_host`) | compilation of public facts | facts, not copyrightable |")
    a("")
    a("The 2019 trade year is used for trade because 2020 is a COVID year and "
      "the DOTS extract has no later years.")
    a("")
    for line in ir_table_lines():
        a(line)
    a("")
    a("## nations.csv columns")
    a("")
    a("`imputed` lists, per row, the columns whose value is a proxy, an "
      "imputation or an external figure rather than a direct value from the "
      "named source. `chip_dependence` is a proxy for every row and is "
      "therefore never listed there. Values from an earlier year of the same "
      "source, where the column definition allows it (GDP, population, trade "
      "shares), are direct values and are not listed in `imputed`; they are "
      "listed below.")
    a("")
    a("### iso3, name")
    a("")
    a("ISO 3166-1 alpha-3 code. Rows: the 193 UN member states (flag "
      "`UNmember` in country_converter, cross-checked against `un_member` in "
      "`country_geo.csv`) plus TWN, HKG, MAC. `name` is the short common "
      "English name from mledoze/countries (`name_common`), except: "
      + ", ".join(f"{k} \"{v}\"" for k, v in sorted(NAME_OVERRIDES.items()))
      + ".")
    a("")
    a("### region, subregion")
    a("")
    a("UN M49 region and sub-region (`region`, `sub-region` of "
      "`iso3166_regions.csv`). Sub-regions are the M49 sub-regions (so all of "
      "Latin America and the Caribbean is one sub-region, and Sub-Saharan "
      "Africa another); they are also the groups used for the sub-region "
      "medians and means below. Assigned:")
    a("")
    a(bullet(log.get("region")))
    a("")
    a("### gdp_usd_bn")
    a("")
    a("World Bank NY.GDP.MKTP.CD (GDP, current US$), year 2023, divided by "
      "1e9, 3 decimals. If 2023 is missing, the latest available year >= "
      "2015 of the same series is used:")
    a("")
    a(bullet(log.get("gdp_usd_bn_year")))
    a("")
    a("Not in the World Bank file at all; **from published estimates, not in "
      "the data directory** (marked `gdp_usd_bn` in `imputed`):")
    a("")
    a(bullet(ext_gdp))
    a("")
    a("### population_m")
    a("")
    a("World Bank SP.POP.TOTL, year 2023, divided by 1e6, 3 decimals (same "
      "fallback rule; only one case). Latest-year fallbacks:")
    a("")
    a(bullet(log.get("population_m_year")))
    a("")
    a("**From published estimates, not in the data directory** (marked "
      "`population_m`):")
    a("")
    a(bullet(ext_pop))
    a("")
    a("### lat, lon")
    a("")
    a("Capital coordinates (`capital_lat`, `capital_lng` of "
      "`country_geo.csv`, from REST Countries `capitalInfo.latlng`), 2 "
      "decimals. Where no capital is given, the country centroid "
      "(mledoze `latlng`) is used (marked `lat;lon`):")
    a("")
    a(bullet(log.get("latlon")))
    a("")
    a("### alignment")
    a("")
    a("-1 at the US position, +1 at China's. Source: UNGA ideal points "
      "estimated from final-passage votes (`idealpointfp`; Bailey, "
      "Strezhnev & Voeten 2017; Voeten, July 2025 year-based release). "
      "For each state x = mean of its ideal points over 2022-2024 (years "
      "available). With US and CHN the 2022-2024 means of the United States "
      f"({stats['ip_us']:.4f}) and China ({stats['ip_cn']:.4f}):")
    a("")
    a("    alignment = clamp(2 * (US - x) / (US - CHN) - 1, -1, 1)")
    a("")
    a("so the United States is -1 and China +1; states further from the US "
      "than China are clamped at +1. 3 decimals. Serbia's ideal points are "
      "stored under the code YUG (COW 345) in the source and are used as "
      "SRB. Fewer than three years available:")
    a("")
    a(bullet(log.get("align_partial")))
    a("")
    a("Proxies (marked `alignment`):")
    a("")
    a(bullet(log.get("alignment")))
    a("")
    a("Overridden because the government changed after, or is not "
      "represented in, the votes (marked `alignment`; rules and reasons "
      "under `alignment_stale`):")
    a("")
    a(bullet(log.get("align_stale")))
    a("")
    a("### china_trade_share, us_trade_share")
    a("")
    a("Share of the state's total goods trade (exports + imports) conducted "
      "with China (mainland; HKG and MAC separate) and with the United "
      "States, IMF DOTS, year 2019. When the state reports to DOTS "
      "(`basis = reported`), the state's own figures are used (`share_chn`, "
      "`share_usa`); when it does not (`basis = mirror`), the shares use "
      "China's / the US's own report of trade with the state over the "
      "partners' mirror total (`share_chn_partnerside`, "
      "`share_usa_partnerside`). A state does not trade with itself: China's "
      "`china_trade_share` and the US's `us_trade_share` are 0. If 2019 is "
      "missing, 2018, then 2020. 4 decimals. china + us <= 1 is checked.")
    a("")
    a("Mirror-basis states (not DOTS reporters in 2019; mirror totals "
      "understate true totals): " + (", ".join(log.get("trade_mirror"))
                                    or "none") + ".")
    a("")
    a("Other year used: " + (", ".join(log.get("trade_year")) or "none") + ".")
    a("")
    a("Not in DOTS; sub-region median of the states with DOTS values "
      "(marked `china_trade_share;us_trade_share`):")
    a("")
    a(bullet(log.get("trade_sub")))
    a("")
    a("### ai_capacity")
    a("")
    a("IMF AI Preparedness Index 2023 (`aipi`, 0-1; Cazzaniga et al. 2024, "
      f"IMF SDN/2024/001), 3 decimals; {stats['n_aipi_file']} of the 196 "
      "rows have a value in the IMF file. Missing values, in order (all "
      "marked `ai_capacity`):")
    a("")
    a("1. Figures quoted from the IMF DataMapper in press reports (not in "
      "the IMF file, whose `aipi` is blank for these because one component "
      "is missing):")
    a("")
    a(bullet(log.get("ai_press")))
    a("")
    a("2. Ordinary least squares fit of `aipi` on HDI 2023 (UNDP) and the "
      "internet-user share (latest 2019-2023 value / 100; ITU via World "
      "Bank/OWID), over the states among the 196 rows that have all three "
      f"(n = {n}):")
    a("")
    a(f"    aipi = {c[0]:.4f} + {c[1]:.4f} * hdi + {c[2]:.4f} * internet_share"
      f"    (R^2 = {r2:.3f}, n = {n})")
    a("")
    a(f"   prediction clipped to [{AIPI_CLIP[0]}, {AIPI_CLIP[1]}]. Imputed "
      "rows (for TKM the internet share is the latest earlier value, "
      "2017; see `chip_dependence`):")
    a("")
    a(bullet(log.get("ai_ols")))
    a("")
    a("3. HDI or internet share missing too: median over the state's "
      "sub-region (including values from steps 1-2), except North Korea:")
    a("")
    a(bullet(log.get("ai_sub")))
    a("")
    a("### chip_dependence (proxy column)")
    a("")
    a("A documented proxy for reliance on US-controlled advanced AI chips "
      "(no dataset measures this directly), 0-1, 3 decimals:")
    a("")
    a("    chip_dependence = clip(0.4 * internet_share + 0.4 * ai_capacity "
      "+ 0.2 * chip_import_rank, 0, 1)")
    a("")
    a("- `internet_share`: individuals using the Internet, latest 2019-2023 "
      "value / 100 (ITU via World Bank/OWID). If no 2019-2023 value, the "
      "latest 2015-2018 value; if none at all, the sub-region median "
      "(except North Korea):")
    a("")
    a(bullet(log.get("internet")))
    a("")
    a("- `ai_capacity`: the column above.")
    a("- `chip_import_rank`: percentile rank of Taiwan's 2023 exports of "
      "HS 8542 (electronic integrated circuits; Taiwan Ministry of Finance "
      "customs data) to the state divided by the state's GDP "
      "(`gdp_usd_bn`). Rank = average rank among the "
      f"{stats['n_chip_importers']} states with recorded 2023 imports "
      "(ties get the average rank) divided by that number, so the highest "
      "intensity is 1; states with no recorded imports get 0 (this includes "
      "Taiwan itself, which is the exporter). Highest intensities: "
      + ", ".join(stats["chip_top"]) + ". Hong Kong and Singapore are "
      "transshipment hubs: much of what Taiwan ships there is re-exported "
      "(largely to mainland China), so their rank measures trade-hub "
      "activity more than domestic use. This captures dependence on "
      "Taiwan-made chips, not total semiconductor imports.")
    a("")
    a("### export_tier")
    a("")
    a("US AI-chip export tier under the January 2025 AI-diffusion rule "
      "(`ai_diffusion_tier_jan2025` of the memberships compilation): 1 = the "
      "US and 18 close partners, 3 = Country Group D:5 (arms-embargoed) plus "
      "Macau and Hong Kong, 2 = everyone else. Tier 1 in the data: "
      + " ".join(stats["tier1"]) + " ("
      + ("matches" if stats["tier1"] == TIER1_EXPECTED else "DOES NOT match")
      + " the expected US + 18 list). Tier 3: " + " ".join(stats["tier3"])
      + ". The rule was rescinded in May 2025; the tiers are kept as the "
      "last formal US tiering of AI-chip access.")
    a("")
    a("### us_ally")
    a("")
    a("Security tie to the United States, compiled from the US State "
      "Department's lists of US collective-defence arrangements and of Major "
      "Non-NATO Ally (MNNA) designations as publicly known, not from the "
      "data files (except NATO membership, taken from `nato_join_year`):")
    a("")
    a("- 1 = treaty ally with an active mutual-defence commitment: NATO "
      "members other than the US, plus Japan, South Korea, Australia "
      "(ANZUS), the Philippines and Thailand: " + " ".join(stats["ally1"])
      + ".")
    a("- 0.5 = designated Major Non-NATO Ally not already 1 (ARG BHR BRA COL "
      "EGY ISR JOR KEN KWT MAR NZL PAK QAT TUN; TWN, treated as an MNNA by "
      "the Taiwan Relations Act and the 2003 Foreign Relations Authorization "
      "Act without formal designation; SAU, designation announced on "
      "2025-11-18), plus parties to the Inter-American Treaty of Reciprocal "
      "Assistance (Rio Treaty) not already listed (BHS CHL CRI DOM SLV GTM "
      "HTI HND PAN PRY PER TTO URY); the Rio Treaty is formally in force "
      "but dormant, hence 0.5 rather than 1. New Zealand is 0.5: the US "
      "suspended its ANZUS obligations to New Zealand in 1986. All 0.5 "
      "rows: " + " ".join(stats["ally05"]) + ".")
    a("- 0 = everyone else, and the United States itself.")
    a("")
    a(COMPACT_NOTE)
    a("")
    a("### democracy")
    a("")
    a("V-Dem v14 liberal democracy index `v2x_libdem`, 2023 (Coppedge et al. "
      "2024), 3 decimals. Where V-Dem has no value, it is predicted from "
      "Freedom House's Freedom in the World total score (edition 2024, "
      "covering 2023) by an OLS fit over the states among the rows that "
      "have both:")
    a("")
    a(f"    libdem = {dc[0]:.4f} + {dc[1]:.4f} * (FH_total / 100)"
      f"    (R^2 = {dr2:.3f}, n = {dn})")
    a("")
    a("clipped to [0, 1]. Imputed rows (marked `democracy`):")
    a("")
    a(bullet(log.get("dem_fh") + log.get("dem_other")))
    a("")
    a("### blocs")
    a("")
    a("`;`-joined, sorted codes. From the memberships compilation: NATO "
      "(`nato_join_year`), EU (`eu27`), G7, G20 (`g20_country`: the 19 "
      "member countries; the EU and AU themselves are not rows), OECD "
      "(`oecd_join_year`), APEC, ASEAN (includes Timor-Leste, admitted "
      "2025), SCO (members), BRICS (members; Saudi Arabia not counted, its "
      "status being unresolved), BRICS_PARTNER (partner countries since "
      "2025), GPAI (members as of 2023 or OECD-integrated GPAI 2024). "
      "Derived here: AU = all UN member states in UN M49 region Africa (54; "
      "Morocco rejoined in 2017; the Sahrawi Republic is not a UN member); "
      "GCC = ARE BHR KWT OMN QAT SAU; CELAC = the 33 UN member states of "
      "M49 sub-region Latin America and the Caribbean; ARAB_LEAGUE = the 22 "
      "members minus Palestine (not a UN member): "
      + " ".join(ARAB_LEAGUE) + "; EAEU = " + " ".join(EAEU) + ". Counts: "
      + ", ".join(f"{b} {bc[b]}" for b in sorted(bc)) + ".")
    a("")
    a("### bias")
    a("")
    a("The modeller's own per-state offset; 0 for every row in the shipped "
      "data.")
    a("")
    for line in ir_sources_lines(rows, states, stats, log, "current"):
        a(line)
    a("")
    a("### imputed")
    a("")
    a("All rows with a non-empty `imputed` field:")
    a("")
    a(bullet(imputed_rows))
    a("")
    a("## trade.csv")
    a("")
    a("Columns `iso3_a,iso3_b,trade_musd`: total goods trade (exports + "
      "imports) between two states in 2019, US$ millions, 1 decimal, "
      "unordered pairs with `iso3_a < iso3_b`, both states rows of "
      "`nations.csv`, sorted by `iso3_a`, `iso3_b`. Source: IMF DOTS "
      "bilateral matrix (exports FOB and imports CIF, as reported by each "
      "reporter).")
    a("")
    a("- A state's report of its trade with a partner = its "
      "`exports_fob_musd + imports_cif_musd` with that partner "
      "(reporter = the state). Rows whose sum is zero are treated as "
      f"missing reports ({stats['zero_reports']} such rows in 2019).")
    a("- `trade_musd` = mean of the available reports (both sides when "
      "both report, otherwise the single mirror report). The two reports "
      "differ by FOB/CIF valuation and timing, so the mean is a symmetric "
      f"estimate. Pairs with two reports: {stats['trade_pairs_two']}; with "
      f"one: {stats['trade_pairs_one']}. Pairs that are zero (or round to "
      "0.0) are dropped.")
    a(f"- To keep the file compact, a pair is kept if the partner is among "
      f"the {TRADE_TOP_N} largest partners (by `trade_musd`; ties broken by "
      "code) of either state. Of "
      f"{stats['trade_pairs_all']} non-zero pairs, {stats['trade_rows']} are "
      "kept.")
    a(f"- Partners per state in the file: max {maxdeg} ("
      + " ".join(top_deg) + f"); {len(few)} states have fewer than 20: "
      + (" ".join(f"{k} ({deg[k]})" for k in few) or "none") + ".")
    a("- Andorra, Liechtenstein and Monaco do not appear in the DOTS "
      "extract, neither as reporter nor as partner (Monaco is inside the "
      "French customs territory, Liechtenstein in a customs union with "
      "Switzerland), so they have no rows.")
    a("")
    a("## Data problems found")
    a("")
    a(bullet(problems + [
        "Venezuela has no final-passage ideal points after 2021 in this "
        "release; its latest three years (2019-2021) are used instead of a "
        "sub-region mean, which would place it near the Latin American "
        "average although its own record is further from the US than "
        "China's.",
        "North Korea has no internet, HDI or AIPI figure; the sub-region "
        "(Eastern Asia) median would rank it among the most AI-ready and "
        "most connected states, so the lowest observed values are used.",
        "Turkmenistan and Venezuela have no internet-use figure after 2017; "
        "the 2017 values are used rather than a sub-region median.",
        "The DOTS mirror totals for non-reporting states sum partners' "
        "reports only, so their trade shares can be biased towards large "
        "reporting partners such as the US and China.",
    ]))
    a("")
    a("## Citations")
    a("")
    a("- Bailey, M. A., Strezhnev, A., & Voeten, E. (2017). Estimating "
      "dynamic state preferences from United Nations voting data. *Journal "
      "of Conflict Resolution*, 61(2), 430-456. Data: Voeten, E., "
      "\"United Nations General Assembly Voting Data\", Harvard Dataverse, "
      "doi:10.7910/DVN/LEJUQZ (ideal points release of July 2025).")
    a("- Coppedge, M., Gerring, J., Knutsen, C. H., et al. (2024). V-Dem "
      "[Country-Year] Dataset v14. Varieties of Democracy (V-Dem) Project. "
      "doi:10.23696/mcwt-fr58.")
    a("- Freedom House (2024). *Freedom in the World 2024*. Washington, DC.")
    a("- International Monetary Fund. *Direction of Trade Statistics "
      "(DOTS)*. Washington, DC (data for 2018-2020, retrieved February "
      "2022).")
    a("- Cazzaniga, M., Jaumotte, F., Li, L., Melina, G., Panton, A. J., "
      "Pizzinelli, C., Rockall, E., & Tavares, M. M. (2024). *Gen-AI: "
      "Artificial Intelligence and the Future of Work*. IMF Staff "
      "Discussion Note SDN/2024/001. AI Preparedness Index via IMF "
      "DataMapper.")
    a("- International Monetary Fund. *World Economic Outlook database*, "
      "October 2023 (Taiwan and Venezuela GDP).")
    a("- World Bank. *World Development Indicators*: NY.GDP.MKTP.CD, "
      "SP.POP.TOTL, IT.NET.USER.ZS (ITU).")
    a("- UNDP (2025). *Human Development Report 2025*, Human Development "
      "Index; via Our World in Data.")
    a("- United Nations Statistics Division. *Standard country or area codes "
      "for statistical use (M49)*.")
    a("- Taiwan Ministry of Finance, customs import/export statistics "
      "(HS 8542).")
    a("- US Department of Commerce, Bureau of Industry and Security (2025). "
      "Framework for Artificial Intelligence Diffusion, Interim Final Rule, "
      "90 FR 4544 (15 January 2025).")
    a("- US Department of State, lists of US collective defense "
      "arrangements and Major Non-NATO Allies.")
    a("")
    return "\n".join(L)


def sources_md_2015(rows, states, log, stats, cur_stats):
    """SOURCES.md of the 2015 vintage (nations.csv only)."""
    cur = stats["current"]
    dc, dr2, dn = stats["dem_fit"]
    bc = stats["bloc_counts"]
    cbc = cur_stats["bloc_counts"]
    ext_gdp = [f"{k}: US$ {v:.3f} bn ({y}) — {d}"
               for k, v, y, d in log.get("gdp_usd_bn_ext")]
    ext_pop = [f"{k}: {v:.3f} million ({y}) — {d}"
               for k, v, y, d in log.get("population_m_ext")]
    imputed_rows = [f"{k}: {rows[k]['imputed']}" for k in states
                    if rows[k]["imputed"]]
    w15 = sum(rows[k]["gdp_usd_bn"] for k in states)
    wcur = sum(cur[k]["gdp_usd_bn"] for k in states)
    p15 = sum(rows[k]["population_m"] for k in states)
    pcur = sum(cur[k]["population_m"] for k in states)
    top15 = sorted(states, key=lambda k: (-rows[k]["gdp_usd_bn"], k))[:10]
    dal = {k: rows[k]["alignment"] - cur[k]["alignment"] for k in states}
    mad = sum(abs(v) for v in dal.values()) / len(states)
    moved = sorted(states, key=lambda k: (-abs(dal[k]), k))[:12]
    ddem = {k: rows[k]["democracy"] - cur[k]["democracy"] for k in states}
    dmoved = sorted(states, key=lambda k: (-abs(ddem[k]), k))[:10]
    ally_changed = [f"{k} {fmt(cur[k]['us_ally'], 1)} -> "
                    f"{fmt(rows[k]['us_ally'], 1)}" for k in states
                    if rows[k]["us_ally"] != cur[k]["us_ally"]]
    n_clamp = len(stats["align_clamped"])
    top15_n = sum(1 for k in states if rows[k]["alignment"] >= 1.0)
    topcur_n = sum(1 for k in states if cur[k]["alignment"] >= 1.0)
    med15 = median([rows[k]["alignment"] for k in states])
    medcur = median([cur[k]["alignment"] for k in states])
    L = []
    a = L.append
    a("# World data, vintage 2015: sources and derivations")
    a("")
    a("This directory holds the world as of early 2015, the time of the "
      "founding of the Asian Infrastructure Investment Bank (AIIB): the "
      "memorandum of understanding of 2014-10-24 to the closing of the "
      "list of prospective founding members on 2015-04-15. It is the world "
      "of the AIIB calibration replay.")
    a("")
    a("- `nations.csv`: one row per state, the same "
      f"{len(states)} rows (193 UN member states plus Taiwan, Hong Kong "
      "and Macau; all existed in 2015, South Sudan since 2011), columns "
      "and conventions as `scenarios/world/nations.csv` (the current "
      "vintage), sorted by `iso3`.")
    a("")
    a("There is no `trade.csv`: the data directory has bilateral trade "
      "for 2019 and 2020 only. A scenario on this world uses the shipped "
      "2019 trade (`trade = \"builtin\"`, anachronistic) or gravity "
      "weights from the 2015 GDP (`trade = \"none\"`).")
    a("")
    a("The file is generated; do not edit it by hand. Regenerate with")
    a("")
    a("```")
    a("python3 tools/build_world.py --data DATA_DIR --vintage 2015 "
      "--out scenarios/history/world-2015")
    a("```")
    a("")
    a("The script first builds the current vintage (see "
      "`scenarios/world/SOURCES.md` for the input datasets, their upstream "
      "copies and licences, and every derivation not repeated here), then "
      "rebuilds the columns that have 2015 values in the data. Standard "
      "library only; deterministic. This file is written by the script, so "
      "the numbers below always match the data.")
    a("")
    a("## What differs from the current world")
    a("")
    a("| column | this vintage (2015) | current vintage |")
    a("|---|---|---|")
    a("| `gdp_usd_bn` | World Bank, 2015 | World Bank, 2023 |")
    a("| `population_m` | World Bank, 2015 | World Bank, 2023 |")
    a("| `alignment` | UNGA ideal points, 2015 | mean of 2022-2024 |")
    a("| `democracy` | V-Dem `v2x_libdem`, 2015 | V-Dem, 2023 |")
    a("| `blocs` | memberships on 2015-03 | memberships in 2026 |")
    a("| `us_ally` | 2015 NATO membership and MNNA designations | current |")
    a("| `recognises_host`, `dispute_with_host`, `hosts_us_forces`, "
      "`alignment_stale` | as of 2015-04-15 | as of 2025-07-26 |")
    a("| `lat`, `lon`, `china_trade_share`, `us_trade_share`, "
      "`ai_capacity`, `chip_dependence`, `export_tier` | **kept from the "
      "current vintage (anachronistic)** | capitals; DOTS 2019; IMF AIPI "
      "2023; 2023 proxy; January 2025 rule |")
    a("")
    a("2015 is the earliest year of the World Bank, ideal-point and V-Dem "
      "extracts in the data directory. The AIIB story runs from October "
      "2014 to April 2015, so the 2015 values are the closest available; "
      "GDP and population are annual 2015 values, and the 2015 ideal "
      "points (year-based release) come from the votes of 2015, mostly cast "
      "in the autumn, after the founding.")
    a("")
    a(f"- States: {len(states)} in both vintages (no state in the current "
      "world was created after 2015).")
    a(f"- World GDP (sum of the rows): US$ {w15 / 1e3:,.1f} trillion in 2015, "
      f"US$ {wcur / 1e3:,.1f} trillion in the current vintage; population "
      f"{p15 / 1e3:,.3f} billion vs {pcur / 1e3:,.3f} billion. Ten largest "
      "economies in 2015: " + ", ".join(
          f"{k} {rows[k]['gdp_usd_bn']:,.0f}" for k in top15)
      + " (US$ bn).")
    a("- Bloc sizes, 2015 vintage (current vintage): "
      + ", ".join(f"{b} {bc.get(b, 0)} ({cbc.get(b, 0)})"
                  for b in sorted(set(bc) | set(cbc))) + ".")
    a(f"- `alignment`: {top15_n} rows at +1 in 2015 against {topcur_n} in "
      f"the current vintage (median {med15:.3f} against {medcur:.3f}; "
      "see the `alignment` section: in 2015 China voted closer to the US "
      "than most of the General Assembly did, so the mapping saturates); "
      f"mean absolute change {mad:.3f}; largest changes "
      "(2015 minus current): " + ", ".join(
          f"{k} {dal[k]:+.3f}" for k in moved) + ".")
    a(f"- `democracy`: largest changes (2015 minus current): " + ", ".join(
        f"{k} {ddem[k]:+.3f}" for k in dmoved) + ".")
    a("- `us_ally` changes (current -> 2015): "
      + ("; ".join(ally_changed) or "none") + ".")
    a("")
    a("## nations.csv columns")
    a("")
    a("`imputed` lists, per row, the columns whose value is a proxy, an "
      "imputation or an external figure rather than a direct value from "
      "the named source, as in the current vintage. Columns kept from the "
      "current vintage keep their marks; the anachronism of the kept "
      "columns applies to every row and is not marked there.")
    a("")
    a("### iso3, name, region, subregion")
    a("")
    a("As in the current vintage (ISO 3166-1 alpha-3; short common names; "
      "UN M49 region and sub-region; Taiwan assigned to Asia / Eastern "
      "Asia).")
    a("")
    a("### gdp_usd_bn")
    a("")
    a("World Bank NY.GDP.MKTP.CD (GDP, current US$), year 2015, divided by "
      "1e9, 3 decimals. Not in the World Bank file for 2015; **from "
      "published estimates, not in the data directory** (marked "
      "`gdp_usd_bn`):")
    a("")
    a(bullet(ext_gdp))
    a("")
    a("### population_m")
    a("")
    a("World Bank SP.POP.TOTL, year 2015, divided by 1e6, 3 decimals. "
      "**From published estimates** (marked `population_m`):")
    a("")
    a(bullet(ext_pop))
    a("")
    a("### lat, lon")
    a("")
    a("Kept from the current vintage: today's capital coordinates (REST "
      "Countries) and Macau's centroid. One capital differs from 2015: "
      "Burundi's row is at Gitega (capital since 2019; Bujumbura, about "
      "60 km to the west, in 2015). Indonesia's planned capital "
      "(Nusantara) is not used in either vintage.")
    a("")
    a("### alignment")
    a("")
    a("-1 at the US position, +1 at China's, with the same mapping as the "
      "current vintage but 2015 anchors: x = the state's 2015 "
      "final-passage ideal point (`idealpointfp`, UNGA ideal points, "
      "Bailey, Strezhnev & Voeten 2017; Voeten, July 2025 year-based "
      "release), or its 2016 value if it has none for 2015. With US and "
      f"CHN the 2015 ideal points of the United States ({stats['ip_us']:.4f}) "
      f"and China ({stats['ip_cn']:.4f}):")
    a("")
    a("    alignment = clamp(2 * (US - x) / (US - CHN) - 1, -1, 1)")
    a("")
    a(f"3 decimals. {stats['n_align_direct']} rows have a 2015 value "
      "(every UN member state). 2016 used instead: "
      + (", ".join(log.get("align_year")) or "none") + ". Serbia is stored "
      "under YUG in the source and used as SRB. States whose 2015 ideal "
      f"point is at or beyond China's (alignment clamped at +1; {n_clamp}): "
      + " ".join(stats["align_clamped"]) + ". The 2015 US-China distance "
      f"({stats['ip_us'] - stats['ip_cn']:.3f}) is smaller than in "
      f"2022-2024 ({cur_stats['ip_us'] - cur_stats['ip_cn']:.3f}), so "
      "values are not directly comparable across vintages: each vintage "
      "places states between the two powers of its own time.")
    a("")
    a(f"**Saturation.** With China's own 2015 ideal point as the +1 anchor, "
      f"{top15_n} of the {len(states)} rows are at +1 (current vintage: "
      f"{topcur_n}); the median row is {med15:.3f}. In 2015 China's voting "
      "record was closer to the US than that of most developing states, "
      "so the column separates Western and Western-leaning states well "
      "(e.g. " + ", ".join(f"{k} {rows[k]['alignment']:.3f}" for k in
                           ("GBR", "FRA", "DEU", "ITA", "AUS", "KOR",
                            "JPN")) + ") but does not separate states "
      "beyond China's position. The mapping is kept identical to the "
      "current vintage on purpose; a calibration that needs spread among "
      "those states must use other columns or rescale.")
    a("")
    a("Proxies (marked `alignment`):")
    a("")
    a(bullet(log.get("alignment")))
    a("")
    a("### china_trade_share, us_trade_share")
    a("")
    a("**Kept from the current vintage (IMF DOTS, 2019; anachronistic).** "
      "The data directory has no 2015 trade. China's share of most "
      "states' trade was somewhat lower in 2015 than in 2019. See "
      "`scenarios/world/SOURCES.md` for the derivation and the "
      "mirror-basis and sub-region-median rows.")
    a("")
    a("### ai_capacity, chip_dependence")
    a("")
    a("**Kept from the current vintage (IMF AI Preparedness Index 2023 and "
      "the documented 2023 chip-dependence proxy; anachronistic).** Neither "
      "matters for the AIIB replay, which sets every export-control "
      "stringency to 0, so the push and deterrence terms vanish; "
      "`ai_capacity` still enters the `need` term if the scenario gives "
      "it a weight.")
    a("")
    a("### export_tier")
    a("")
    a("**Kept from the current vintage (US AI-diffusion rule of January "
      "2025).** There were no AI-chip export tiers in 2015; the column is "
      "kept only because the world format requires it. Replays on this "
      "world set the stringency of every tier to 0.")
    a("")
    a("### us_ally")
    a("")
    a("The current vintage's definition applied to memberships and "
      "designations as of early 2015:")
    a("")
    a("- 1 = NATO members on 2015-03 other than the US (28 members: "
      "without Montenegro 2017, North Macedonia 2020, Finland 2023, "
      "Sweden 2024), plus Japan, South Korea, Australia, the Philippines "
      "and Thailand: " + " ".join(stats["ally1"]) + ".")
    a("- 0.5 = Major Non-NATO Allies designated before 2015-03: "
      + " ".join(V15_US_MNNA) + " (Afghanistan was designated in 2012 "
      "and its designation revoked in 2022; Taiwan treated as in the "
      "current vintage; Tunisia was designated only in July 2015, Brazil "
      "in 2019, Colombia and Qatar in 2022, Kenya in 2024, Saudi Arabia "
      "in 2025), plus the other Rio Treaty parties of 2015: "
      + " ".join(V15_RIO_TREATY_OTHERS) + " (Bolivia, Ecuador, Nicaragua "
      "and Venezuela had withdrawn by 2014, Mexico in 2004). New Zealand "
      "0.5 as in the current vintage. All 0.5 rows: "
      + " ".join(stats["ally05"]) + ".")
    a("- 0 = everyone else, and the United States itself.")
    a("")
    a(COMPACT_NOTE)
    a("")
    a("### democracy")
    a("")
    a("V-Dem v14 liberal democracy index `v2x_libdem`, 2015 (Coppedge et "
      "al. 2024), 3 decimals. Where V-Dem has no value (the micro-states "
      "it does not cover), the value is predicted from Freedom House's "
      "total score. The Freedom House extract starts with the 2018 "
      "edition (covering 2017), so the fit and the prediction use 2017: "
      "an OLS fit of V-Dem 2017 on Freedom House 2017 over the rows that "
      "have both,")
    a("")
    a(f"    libdem = {dc[0]:.4f} + {dc[1]:.4f} * (FH_total / 100)"
      f"    (R^2 = {dr2:.3f}, n = {dn})")
    a("")
    a("clipped to [0, 1], applied to the 2017 score (two years after the "
      "vintage year). Imputed rows (marked `democracy`):")
    a("")
    a(bullet(log.get("dem_fh") + log.get("dem_other")))
    a("")
    a("### blocs")
    a("")
    a(f"`;`-joined, sorted codes, memberships on {V15_BLOC_DATE} (between "
      "the MoU and the closing of the AIIB founding list):")
    a("")
    a("- NATO (28), OECD (34: without Latvia 2016, Lithuania 2018, "
      "Colombia 2020, Costa Rica 2021), ASEAN (10: without Timor-Leste, "
      "2025), SCO (6: CHN KAZ KGZ RUS TJK UZB; India and Pakistan joined "
      "2017, Iran 2023, Belarus 2024), BRICS (5: BRA CHN IND RUS ZAF): "
      "the compilation's join year <= 2015 (no accession in these columns "
      "falls in 2015).")
    a("- EU (28): the 27 current members (Croatia since 2013) plus the "
      "United Kingdom (left 2020-01-31).")
    a("- G7 (7), G20 (19 countries; the EU is not a row), APEC (21, "
      "including Hong Kong and Taiwan), GCC (6), CELAC (33): unchanged "
      "since before 2015.")
    a("- AU (53): the UN member states of Africa except Morocco, which "
      "rejoined in January 2017.")
    a("- ARAB_LEAGUE (20): the current 21 rows minus Syria, whose "
      "membership was suspended from November 2011 to May 2023.")
    a("- EAEU (4): " + " ".join(V15_EAEU) + " (the union came into force "
      "on 2015-01-01; Armenia joined on 2015-01-02, Kyrgyzstan only on "
      "2015-08-12).")
    a("- Dropped: BRICS_PARTNER (category created in 2024) and GPAI "
      "(founded in 2020).")
    a("")
    a("Counts: " + ", ".join(f"{b} {bc[b]}" for b in sorted(bc)) + ".")
    a("")
    a("### bias")
    a("")
    a("0 for every row.")
    a("")
    for line in ir_sources_lines(rows, states, stats, log, "2015"):
        a(line)
    a("")
    a("No `alignment_stale` row is in force on 2015-04-15 (the table's "
      "rows concern changes from 2021 on). Checked: the 2015 ideal points "
      "come from votes cast mostly in October-December 2015, so a change "
      "of government between the AIIB window and that session could make "
      "them stale. The changes of that period (Nigeria on 2015-05-29, "
      "Canada on 2015-11-04, Poland on 2015-11-16) were not breaks in the "
      "General Assembly line: their 2015 and 2016 ideal points differ by "
      "at most 0.19 (NGA -0.87 and -0.73, CAN 1.74 and 1.55, POL 1.08 and "
      "1.05). Argentina's change (2015-12-10) came after the session.")
    a("")
    a("The IR attribute table `tools/data/ir_attributes.csv` is described "
      "in `scenarios/world/SOURCES.md`; the same table gives both "
      "vintages, each at its reference date.")
    a("")
    a("### imputed")
    a("")
    a("All rows with a non-empty `imputed` field:")
    a("")
    a(bullet(imputed_rows))
    a("")
    a("## Uncertain figures")
    a("")
    a(bullet([
        "The external GDP figures above for Taiwan, Venezuela and Eritrea "
        "are uncertain (see each entry); Eritrea's is a 2021 figure.",
        "Taiwan's end-2015 population is the Ministry of the Interior's "
        "published count, not checked against the Ministry's tables here.",
        "Designation and accession dates used for `us_ally` and `blocs` "
        "are standard public facts (organisation and US State Department "
        "web sites), compiled here rather than taken from the data "
        "directory; the join years of NATO, OECD, ASEAN, SCO and BRICS "
        "come from the memberships compilation.",
    ]))
    a("")
    a("## Citations")
    a("")
    a("As in `scenarios/world/SOURCES.md`, plus: Bank of Korea, *Gross "
      "Domestic Product Estimates for North Korea in 2015* (22 July "
      "2016); Taiwan Ministry of the Interior, household registration "
      "statistics; IMF World Economic Outlook database (Taiwan, "
      "Venezuela).")
    a("")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="directory with the "
                    "source CSV extracts")
    ap.add_argument("--out", required=True, help="output directory "
                    "(scenarios/world)")
    ap.add_argument("--vintage", choices=VINTAGES, default="current",
                    help="'current' (default): the shipped world; '2015': "
                    "the world of early 2015 (nations.csv and SOURCES.md "
                    "only), e.g. --out scenarios/history/world-2015")
    ap.add_argument("--ir-table", default=IR_TABLE_DEFAULT,
                    help="the IR attribute table (default: "
                    "tools/data/ir_attributes.csv)")
    args = ap.parse_args()

    ir_table = read_ir_table(args.ir_table)
    rows, states, trade_rows, log, stats, problems = build(args.data,
                                                           ir_table)
    if args.vintage == "2015":
        log15, stats15, _ = build_2015(args.data, rows, states, ir_table)
        validate(rows, states, trade_rows)
        os.makedirs(args.out, exist_ok=True)
        write_csv(os.path.join(args.out, "nations.csv"), NATION_COLUMNS,
                  [nation_record(rows[k]) for k in states])
        with open(os.path.join(args.out, "SOURCES.md"), "w", newline="",
                  encoding="utf-8") as fh:
            fh.write(sources_md_2015(rows, states, log15, stats15, stats))
        dc, dr2, dn = stats15["dem_fit"]
        print(f"vintage 2015: nations.csv: {len(states)} rows")
        print(f"libdem fit (2017): b0={dc[0]:.4f} fh={dc[1]:.4f} "
              f"R2={dr2:.3f} n={dn}")
        print("blocs: " + ", ".join(f"{b} {c}" for b, c in
                                   sorted(stats15["bloc_counts"].items())))
        return
    validate(rows, states, trade_rows)
    os.makedirs(args.out, exist_ok=True)
    write_csv(os.path.join(args.out, "nations.csv"), NATION_COLUMNS,
              [nation_record(rows[k]) for k in states])
    write_csv(os.path.join(args.out, "trade.csv"),
              ["iso3_a", "iso3_b", "trade_musd"],
              [[a, b, fmt(v, 1)] for a, b, v in trade_rows])
    with open(os.path.join(args.out, "SOURCES.md"), "w", newline="",
              encoding="utf-8") as fh:
        fh.write(sources_md(rows, states, trade_rows, log, stats, problems))

    c, r2, n = stats["ai_fit"]
    dc, dr2, dn = stats["dem_fit"]
    deg = stats["deg"]
    print(f"nations.csv: {len(states)} rows; trade.csv: {len(trade_rows)} rows")
    print(f"AIPI fit: b0={c[0]:.4f} hdi={c[1]:.4f} internet={c[2]:.4f} "
          f"R2={r2:.3f} n={n}")
    print(f"libdem fit: b0={dc[0]:.4f} fh={dc[1]:.4f} R2={dr2:.3f} n={dn}")
    print(f"tier 1: {' '.join(stats['tier1'])}")
    print(f"states with < 20 partners: "
          f"{sum(1 for k in states if deg[k] < 20)}; max partners "
          f"{max(deg.values())} ("
          f"{' '.join(k for k in states if deg[k] == max(deg.values()))})")
    for p in problems:
        print("problem:", p)


if __name__ == "__main__":
    main()
