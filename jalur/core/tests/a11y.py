"""Accessibility checks for the browser tests, on whatever page a Playwright page is showing:
axe-core's WCAG 2.1 A and AA rules, tap targets of at least 44 × 44 px, and reflow (no sideways
scrolling) at 200 % zoom on a 360 px phone and at 320 px.

axe-core is vendored (`vendor/axe.min.js`, see `vendor/README.md`) and read into the page through
the browser's debugging protocol (`page.evaluate`): the site's Content-Security-Policy
(`script-src 'self'`) refuses an inline script tag, so `page.add_script_tag` fails on every page,
while code evaluated by the test driver is not subject to it. Nothing is fetched."""

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
AXE_VERSION = "4.14.1"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
FAILING_IMPACTS = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")
AXE_WIDTHS = (360, 1280)
# (name, CSS px wide): a 360 px phone at 200 % zoom lays pages out 180 CSS px wide; 320 CSS px is
# WCAG 1.4.10's reflow width (1280 px at 400 %).
REFLOW_WIDTHS = (("200 % zoom on 360 px", 180), ("320 px", 320))

_RUN_AXE = r"""async (tags) => {
  // a resize reaches the page's own script (which marks wide tables) before axe looks
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
  }));
}"""

_OVERFLOW = r"""async () => {
  // Every open menu too: a menu that opens past the left edge cannot be scrolled into view.
  const closed = [...document.querySelectorAll("details:not([open])")].filter(d => d.closest(".topbar"));
  closed.forEach(d => d.open = true);
  window.scrollTo(0, 0);
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const width = window.innerWidth;
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].map(c => "." + c).join("");
  const path = el => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) parts.unshift(name(e));
    return parts.join(" > ");
  };
  // inside a box that scrolls or clips sideways (a wide table's wrapper), an element cannot widen the page
  const clipped = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const over = el => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return 0;
    return Math.max(r.right - width, -r.left);
  };
  const found = new Map();
  const note = (el, px) => {
    if (!found.has(el) || found.get(el) < px) found.set(el, px);
  };
  for (const el of document.body.querySelectorAll("*")) {
    const px = over(el);
    if (px <= 0.5 || clipped(el)) continue;
    const parent = el.parentElement;
    if (parent && parent !== document.body && over(parent) >= px - 0.5) continue;  // its parent is listed
    note(el, px);
  }
  // text wider than its own box (a long word, a pill that cannot wrap): the box fits, its words do not
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const el = text.parentElement;
    if (!text.data.trim() || !el || getComputedStyle(el).overflowX !== "visible" || clipped(el)) continue;
    range.selectNodeContents(text);
    const r = range.getBoundingClientRect();
    if (r.width === 0) continue;
    const px = Math.max(r.right - width, -r.left);
    if (px > 0.5) note(el, px);
  }
  const list = [...found].map(([el, px]) => ({
    selector: path(el), over: Math.round(px),
    side: el.getBoundingClientRect().left < -0.5 ? "left" : "right",
    text: (el.innerText || el.value || "").trim().replace(/\s+/g, " ").slice(0, 40),
  }));
  list.sort((a, b) => b.over - a.over);
  const result = {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, widest: list.slice(0, 6)};
  closed.forEach(d => d.open = false);
  return result;
}"""

_SMALL_TARGETS = r"""() => {
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].map(c => "." + c).join("");
  const path = el => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 3; e = e.parentElement) parts.unshift(name(e));
    return parts.join(" > ");
  };
  const targets = new Set();
  for (const el of document.querySelectorAll(
    "button, a.btn, summary, select, textarea, input:not([type=hidden])"
  )) {
    const choice = el.matches("input[type=checkbox], input[type=radio]");
    targets.add(choice ? (el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el) : el);
  }
  const small = [];
  for (const el of targets) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
    if (el.closest(".skip, .sr-only")) continue;
    if (r.height < 43.5 || r.width < 43.5) {
      small.push({selector: path(el), width: Math.round(r.width), height: Math.round(r.height),
                  text: (el.innerText || el.value || "").trim().replace(/\s+/g, " ").slice(0, 30)});
    }
  }
  return small;
}"""


def small_targets(page) -> list[dict]:
    """Buttons, fields, menus and choice labels smaller than 44 × 44 px as the page is now laid out."""
    return page.evaluate(_SMALL_TARGETS)


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now: rule, impact, help, targets."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(_RUN_AXE, list(WCAG_TAGS))


def overflow(page) -> dict:
    """How far the page reaches past the viewport's edges: scrollWidth, innerWidth and the elements
    that stick out furthest (the outermost box that does, or the element whose words do; not those
    inside a box that scrolls sideways), with the menu open."""
    return page.evaluate(_OVERFLOW)


def scrolls_sideways(measured: dict) -> bool:
    """Wider than the screen, or something cut off past the left edge, where no one can scroll."""
    return measured["scrollWidth"] > measured["innerWidth"] or any(
        item["side"] == "left" for item in measured["widest"]
    )


@dataclass
class Check:
    who: str
    path: str
    what: str  # "axe at 360 px", "reflow at 320 px", …
    violations: list = field(default_factory=list)
    measured: dict | None = None
    small: list = field(default_factory=list)  # tap targets under 44 px, on the phone

    def problems(self) -> list[str]:
        lines = [
            f"{v['impact']} {v['rule']} ({v['help']}): {', '.join(v['targets'][:5])}"
            + (f" and {len(v['targets']) - 5} more" if len(v["targets"]) > 5 else "")
            for v in self.violations
            if v["impact"] in FAILING_IMPACTS
        ]
        if self.small:
            lines.append(
                "tap targets under 44 × 44 px: "
                + "; ".join(
                    f"{t['selector']} {t['width']}×{t['height']} “{t['text']}”" for t in self.small
                )
            )
        if self.measured is not None and scrolls_sideways(self.measured):
            m = self.measured
            widest = "; ".join(
                f"{w['selector']} +{w['over']} px {w['side']}"
                + (f" “{w['text']}”" if w["text"] else "")
                for w in m["widest"]
            )
            lines.append(
                f"scrolls sideways: {m['scrollWidth']} px wide in {m['innerWidth']} px; {widest}"
            )
        return lines


class Audit:
    """Checks each page once (per path; the home page once per person): axe at 360 and 1280 px, tap
    targets at 360 px, reflow at 180 and 320 px; then `assert_clean()` fails with every problem
    found, page by page."""

    def __init__(self):
        self.checks: list[Check] = []
        self.seen: set[tuple[str, str]] = set()

    def check(self, page, who: str) -> None:
        path = urlsplit(page.url).path
        key = (who, path) if path == "/" else ("", path)
        if key in self.seen:
            return
        self.seen.add(key)
        size = page.viewport_size
        try:
            for width in AXE_WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                check = Check(who, path, f"axe at {width} px", axe_violations(page))
                if width == AXE_WIDTHS[0]:
                    check.small = small_targets(page)
                self.checks.append(check)
            for name, width in REFLOW_WIDTHS:
                page.set_viewport_size({"width": width, "height": 640})
                self.checks.append(Check(who, path, f"reflow at {name}", measured=overflow(page)))
        finally:
            page.set_viewport_size(size)

    @property
    def pages(self) -> int:
        return len(self.seen)

    def summary(self) -> dict:
        """Counts for docs/benchmarks.md: pages, axe violations (rule × page × width) and affected
        elements by impact, tap targets under 44 px, and the widest sideways overflow."""
        by_impact = dict.fromkeys(IMPACTS, 0)
        nodes = dict.fromkeys(IMPACTS, 0)
        rules: dict[str, int] = {}
        widest = {name: [0, ""] for name, _width in REFLOW_WIDTHS}
        for check in self.checks:
            for v in check.violations:
                by_impact[v["impact"]] += 1
                nodes[v["impact"]] += len(v["targets"])
                rules[f"{v['impact']} {v['rule']}"] = rules.get(f"{v['impact']} {v['rule']}", 0) + 1
            if check.measured is not None:
                m = check.measured
                over = max([m["scrollWidth"] - m["innerWidth"], *[w["over"] for w in m["widest"]]])
                name = check.what.removeprefix("reflow at ")
                if over > widest[name][0]:
                    widest[name] = [over, check.path]
        return {
            "axe": AXE_VERSION,
            "pages": self.pages,
            "violations": by_impact,
            "elements": nodes,
            "rules": dict(sorted(rules.items())),
            "widest_overflow": widest,
            "small_tap_targets": {
                "elements": sum(len(c.small) for c in self.checks),
                "pages": len({c.path for c in self.checks if c.small}),
            },
            "pages_scrolling_sideways": sorted(
                {f"{c.path} ({c.what})" for c in self.checks if c.measured and c.problems()}
            ),
        }

    def write_summary(self, path: str) -> None:
        Path(path).write_text(json.dumps(self.summary(), indent=2, ensure_ascii=False) + "\n")

    def assert_clean(self) -> None:
        failing = [(c, c.problems()) for c in self.checks]
        failing = [(c, p) for c, p in failing if p]
        if not failing:
            return
        lines = [
            f"{sum(len(p) for _c, p in failing)} accessibility problems in "
            f"{len({c.path for c, _p in failing})} of {self.pages} pages checked "
            f"(axe-core {AXE_VERSION}: WCAG 2.1 A/AA, impact serious or critical; tap targets; "
            "reflow):"
        ]
        for check, problems in failing:
            lines.append(f"- {check.path} as {check.who}, {check.what}:")
            lines.extend(f"    {p}" for p in problems)
        raise AssertionError("\n".join(lines))


class AuditedPage:
    """A Playwright page that has the audit check every page it arrives at through `goto` or
    `wait_for_url`; everything else goes to the page itself."""

    def __init__(self, page, who: str, audit: Audit):
        self._page, self._who, self._audit = page, who, audit

    def __getattr__(self, name):
        return getattr(self._page, name)

    def goto(self, url, **kwargs):
        response = self._page.goto(url, **kwargs)
        self._audit.check(self._page, self._who)
        return response

    def wait_for_url(self, url, **kwargs):
        self._page.wait_for_url(url, **kwargs)
        self._audit.check(self._page, self._who)
