/**
 * The public pages' stylesheet, inlined (CSP allows inline styles, no scripts). Light and
 * dark follow the visitor; the brand colour is --accent with --on-accent picked for contrast.
 * Bar details show on :hover and :focus (bars are focusable), no JavaScript.
 */
export const STYLES = `
*{box-sizing:border-box}
:root{--bg:#ffffff;--fg:#111827;--muted:#4b5563;--line:#e5e7eb;--card:#f9fafb;--ok:#15803d;--warn:#a16207;--part:#c2410c;--bad:#b91c1c;--maint:#1d4ed8;--none:#d1d5db;
--b0:#16a34a;--b1:#ca8a04;--b2:#ea580c;--b3:#dc2626}
@media (prefers-color-scheme:dark){:root{--bg:#0b1120;--fg:#f3f4f6;--muted:#9ca3af;--line:#1f2937;--card:#111827;--ok:#4ade80;--warn:#facc15;--part:#fb923c;--bad:#f87171;--maint:#93c5fd;--none:#374151}}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:inherit}
.wrap{max-width:56rem;margin:0 auto;padding:0 1rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem;z-index:9}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.top{background:var(--accent);color:var(--on-accent);padding:1rem 0;margin-bottom:1.5rem}
.brand{display:flex;align-items:center;gap:.75rem;text-decoration:none;font-size:1.25rem;font-weight:600}
.brand img{max-height:32px;width:auto}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.75rem 0 .75rem}h3{font-size:1rem;margin:0}
.lead{color:var(--muted)}
.banner{border-radius:.5rem;padding:1rem 1.25rem;color:#fff;background:#15803d}
.banner h2{margin:0;font-size:1.15rem}
.ban-degraded{background:#a16207}.ban-partial_outage{background:#c2410c}.ban-major_outage{background:#b91c1c}.ban-maintenance{background:#1d4ed8}
.stale{border:2px solid var(--warn);border-radius:.5rem;padding:.75rem 1rem;margin:1rem 0;font-weight:600}
.comps{list-style:none;margin:0;padding:0;border:1px solid var(--line);border-radius:.5rem}
.comp{padding:1rem;border-top:1px solid var(--line)}.comp:first-child{border-top:0}
.row{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap;align-items:baseline}
.desc{margin:.25rem 0 0;color:var(--muted);font-size:.9rem}
.st{font-weight:600;font-size:.9rem}
.s-operational{color:var(--ok)}.s-degraded_performance{color:var(--warn)}.s-partial_outage{color:var(--part)}.s-major_outage{color:var(--bad)}.s-under_maintenance{color:var(--maint)}
.bars{display:flex;gap:1px;list-style:none;margin:.75rem 0 0;padding:0;height:2rem}
.bars li{flex:1;min-width:0;border-radius:1px;background:var(--none);position:relative;outline-offset:1px}
.bars .b0{background:var(--b0)}.bars .b1{background:var(--b1)}.bars .b2{background:var(--b2)}.bars .b3{background:var(--b3)}
.bars i{font-style:normal;position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.bars li:hover i,.bars li:focus i{clip:auto;width:max-content;max-width:16rem;height:auto;white-space:normal;bottom:2.4rem;left:50%;transform:translateX(-50%);background:var(--fg);color:var(--bg);padding:.4rem .6rem;border-radius:.35rem;font-size:.8rem;z-index:5}
.bars li:nth-child(-n+20):hover i,.bars li:nth-child(-n+20):focus i{left:0;transform:none}
.bars li:nth-last-child(-n+20):hover i,.bars li:nth-last-child(-n+20):focus i{left:auto;right:0;transform:none}
.axis{display:flex;justify-content:space-between;color:var(--muted);font-size:.75rem;margin-top:.25rem}
.chart{margin:.75rem 0 0}.chart svg{width:100%;height:60px;color:var(--accent)}.chart figcaption{color:var(--muted);font-size:.75rem}
@media (prefers-color-scheme:dark){.chart svg{color:var(--maint)}}
.incident,.maint{border:1px solid var(--line);border-left:4px solid var(--warn);border-radius:.5rem;padding:1rem;margin:0 0 1rem;background:var(--card)}
.imp-none{border-left-color:var(--none)}.imp-major{border-left-color:var(--part)}.imp-critical{border-left-color:var(--bad)}
.maint{border-left-color:var(--maint)}
.incident h1{font-size:1.35rem;margin:0}
.meta{color:var(--muted);font-size:.875rem;margin:.25rem 0}
.timeline{list-style:none;margin:.75rem 0 0;padding:0}.timeline li{border-top:1px solid var(--line);padding:.5rem 0}
.md p{margin:.25rem 0}.md pre{overflow-x:auto;background:var(--line);padding:.5rem;border-radius:.25rem}.md code{font-size:.875em}
.links{margin:1.5rem 0}
.subscribe{border-top:1px solid var(--line);margin-top:2rem;padding-top:.5rem}
.inline{display:flex;gap:.5rem;flex-wrap:wrap;margin:.25rem 0 .75rem}
input[type=email],input[type=password]{flex:1;min-width:12rem;padding:.5rem .6rem;border:1px solid var(--muted);border-radius:.35rem;background:var(--bg);color:var(--fg);font:inherit}
button{padding:.5rem 1rem;border:0;border-radius:.35rem;background:var(--accent);color:var(--on-accent);font:inherit;font-weight:600;cursor:pointer}
fieldset{border:0;padding:0;margin:.5rem 0}.check{display:block;padding:.15rem 0}
.error{color:var(--bad);font-weight:600}
.foot{color:var(--muted);font-size:.875rem;border-top:1px solid var(--line);margin-top:2rem;padding:1rem}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
`.replace(/\n/g, "");
