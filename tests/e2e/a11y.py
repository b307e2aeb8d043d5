"""What the browser journeys measure on a page: axe-core's WCAG 2.0-2.2 A/AA rules, horizontal
overflow, ARIA references and focus-ring contrast. axe-core is vendored (tests/e2e/vendor)."""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def overflow(page) -> dict:
    """The page's width against the viewport's (`scrollWidth <= clientWidth` means none)."""
    return page.evaluate(
        """() => ({scroll: document.documentElement.scrollWidth,
                   client: document.documentElement.clientWidth,
                   header: Math.round(document.querySelector('.site-header')
                       ?.getBoundingClientRect().height || 0)})"""
    )


def broken_aria_references(page) -> list[str]:
    return page.evaluate(
        """() => {
            const broken = [];
            for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls']) {
                for (const el of document.querySelectorAll(`[${attr}]`)) {
                    for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                        if (!document.getElementById(id)) broken.push(`${attr}=${id}`);
                    }
                }
            }
            return broken;
        }"""
    )


FOCUS_CONTRAST = """el => {
    const parse = c => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
    const lum = rgb => {
        const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    let node = el.parentElement, bg = 'rgb(255, 255, 255)';
    while (node) {
        const c = getComputedStyle(node).backgroundColor;
        if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; }
        node = node.parentElement;
    }
    const style = getComputedStyle(el);
    const a = lum(parse(style.outlineColor)), b = lum(parse(bg));
    return {outline: style.outlineColor, width: style.outlineWidth, background: bg,
            ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
}"""


def focus_ring_contrast(page, selector: str) -> dict:
    """Focus `selector` from the keyboard's point of view and measure its outline's contrast
    against the nearest background behind it."""
    element = page.locator(selector).first
    element.focus()
    return element.evaluate(FOCUS_CONTRAST)
