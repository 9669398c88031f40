"""Server-rendered dashboard pages (Jinja2, autoescaped) and their Plotly charts.

Charts are Plotly figures built here with the `plotly` package and drawn in the browser by the
plotly.min.js that package ships (served from /static/plotly.min.js: no CDN). Article text and
evidence reach the page only through autoescaped templates or, for chart hover text, HTML-escaped
before Plotly sees it; figure JSON is embedded with `|tojson`, which escapes `<`, `>` and `&`.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import json
import math
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader

from mercato.records import ALL_STAGES, STAGES
from mercato.serve.queries import filter_sources, filter_stories, list_articles, recent_claims, search, sorted_sources, sorted_stories
from mercato.serve.web.catalog import Catalog, ServiceUnavailable
from mercato.store import Database
from mercato.store.models import Article

HERE = Path(__file__).parent
PER_PAGE = 30
STAGE_COLOURS = {
    "interest": "#94a3b8", "contact": "#60a5fa", "talks": "#3b82f6", "bid": "#8b5cf6", "advanced": "#f59e0b",
    "agreement": "#f97316", "done": "#16a34a", "off": "#dc2626",
}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = pct
    env.filters["num"] = num
    env.filters["web_url"] = web_url
    env.globals["STAGE_COLOURS"] = STAGE_COLOURS
    env.globals["STAGES"] = ALL_STAGES
    return env


def pct(v: Any, digits: int = 0) -> str:
    if not isinstance(v, int | float) or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v * 100:.{digits}f}%"


def num(v: Any, digits: int = 3) -> str:
    if not isinstance(v, int | float) or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def web_url(url: Any) -> str | None:
    """Only http(s) links from stored data become hrefs (never javascript:, data: and the like)."""
    u = str(url or "").strip()
    return u if u.lower().startswith(("http://", "https://")) else None


ENV = _env()


def render(request: Request, template: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    catalog = getattr(request.app.state, "catalog", None)
    if catalog is not None and "state" not in ctx:
        try:
            ctx["state"] = catalog.describe()  # the page says when it shows a previous state of the database
        except Exception:  # noqa: BLE001 - an error page must render even when the database cannot be read
            ctx["state"] = None
    body = ENV.get_template(template).render(request=request, path=request.url.path, **ctx)
    return HTMLResponse(body, status_code=status_code, headers={"Content-Security-Policy": CSP})


def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    titles = {404: "Not found", 422: "Bad request", 503: "Not available yet"}
    return render(request, "error.html", status_code=status_code, title=titles.get(status_code, "Error"),
                  code=status_code, message=message)


def figure_json(fig: Any) -> dict[str, Any]:
    """A Plotly figure as plain JSON (Plotly's own encoder), for `|tojson` in a template."""
    return json.loads(fig.to_json())


def _hover(text: str | None, width: int = 64, max_chars: int = 280) -> str:
    """Plotly renders a subset of HTML in hover labels: escape everything, then break lines ourselves."""
    text = " ".join((text or "").split())
    if len(text) > max_chars:
        text = text[: max_chars - 1].rstrip() + "…"
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "<br>".join(html.escape(x, quote=True) for x in lines)


def _layout(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = dict(
        template="plotly_white", margin=dict(l=48, r=16, t=24, b=40), height=360,
        font=dict(family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size=13, color="#1f2937"),
        hoverlabel=dict(align="left", bgcolor="white", font=dict(size=12)),
        legend=dict(orientation="h", y=-0.18, x=0),
    )
    base.update(kw)
    return base


def story_chart(story: dict[str, Any]) -> dict[str, Any] | None:
    import plotly.graph_objects as go

    history = [h for h in story.get("history") or [] if h.get("date") is not None]
    claims = story.get("claims") or []
    if not history and not claims:
        return None
    history = sorted(history, key=lambda h: str(h["date"]))
    hx = [str(h["date"]) for h in history]
    hy = [h.get("probability") for h in history]

    def p_at(date: str) -> float | None:
        best = None
        for d, p in zip(hx, hy, strict=True):
            if d <= date:
                best = p
        return best if best is not None else (hy[0] if hy else story.get("probability"))

    fig = go.Figure()
    if hx:
        fig.add_trace(go.Scatter(
            x=hx, y=hy, mode="lines", line=dict(shape="hv", color="#0f766e", width=3), name="likelihood",
            hoverinfo="skip",  # the claim points carry the hover text (and the likelihood after each)
        ))
    by_stage: dict[str, list[dict[str, Any]]] = {}
    for c in claims:
        by_stage.setdefault(str(c.get("stage") or "?"), []).append(c)
    # claims of one day share a date: spread them after the day's step (wider on a longer axis) so each point
    # can be seen and hovered; the hover text gives the true date
    per_day: dict[str, list[int]] = {}
    for c in claims:
        per_day.setdefault(str(c.get("date")), []).append(id(c))
    all_days = sorted(per_day) + hx
    try:
        span = (dt.date.fromisoformat(max(all_days)[:10]) - dt.date.fromisoformat(min(all_days)[:10])).days
    except ValueError:
        span = 0
    offset: dict[int, str] = {}
    for day, ids in per_day.items():
        k = len(ids)
        width = min(max(span, 1) * 0.04, k * max(span, 1) * 0.008) if k > 1 else 0.0  # in days
        width = max(width, 0.8) if k > 1 else 0.0
        for i, key in enumerate(ids):
            try:
                base = dt.datetime.combine(dt.date.fromisoformat(day[:10]), dt.time(0))
            except ValueError:
                offset[key] = day
                continue
            shift = i / (k - 1) * width if k > 1 else 0.0  # from the day's step in the line onwards
            offset[key] = (base + dt.timedelta(days=shift)).isoformat(sep=" ", timespec="minutes")
    for stage in [s for s in ALL_STAGES if s in by_stage] + [s for s in by_stage if s not in ALL_STAGES]:
        cs = by_stage[stage]
        days = [str(c.get("date")) for c in cs]
        xs = [offset[id(c)] for c in cs]
        ys = [p_at(d) for d in days]
        custom = [[
            _hover(" / ".join(x for x in (c.get("journalist"), c.get("outlet")) if x) or "unnamed source", 80, 120),
            html.escape(stage), html.escape(str(c.get("certainty") or "")), _hover(c.get("evidence")),
            str(c.get("date")), html.escape(f"{c.get('person')} → {c.get('club')}"),
            f"/articles/{c.get('article_id')}#claim-{c.get('id')}",
        ] for c in cs]
        group = story.get("kind", "move") != "move"
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers", name=stage, customdata=custom,
            marker=dict(size=12, color=STAGE_COLOURS.get(stage, "#64748b"), line=dict(color="white", width=1.5),
                        symbol="x" if stage == "off" else "circle"),
            hovertemplate=("%{customdata[5]}<br>" if group else "")
            + "<b>%{customdata[0]}</b><br>%{customdata[4]} · stage <b>%{customdata[1]}</b> (%{customdata[2]})"
            " · likelihood %{y:.0%}<br><i>%{customdata[3]}</i><extra></extra>",
        ))
    fig.update_layout(**_layout(yaxis=dict(range=[0, 1.02], tickformat=".0%", title=None, fixedrange=True),
                                xaxis=dict(title=None, type="date"), hovermode="closest"))
    return figure_json(fig)


def calibration_chart(bins: list[dict[str, Any]]) -> dict[str, Any] | None:
    import plotly.graph_objects as go

    pts = [b for b in bins if isinstance(b.get("forecast"), int | float) and isinstance(b.get("observed"), int | float)
           and (b.get("n") or 0) > 0]
    if not pts:
        return None
    ns = [int(b.get("n") or 0) for b in pts]
    biggest = max(ns) or 1
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfectly calibrated",
                             line=dict(color="#94a3b8", dash="dash"), hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=[b["forecast"] for b in pts], y=[b["observed"] for b in pts], mode="lines+markers", name="this source",
        line=dict(color="#0f766e"), customdata=ns,
        marker=dict(size=[8 + 22 * math.sqrt(n / biggest) for n in ns], color="#0f766e", opacity=0.85),
        hovertemplate="forecast %{x:.0%}<br>happened %{y:.0%}<br>%{customdata} claims<extra></extra>",
    ))
    fig.update_layout(**_layout(
        xaxis=dict(range=[-0.04, 1.04], tickformat=".0%", dtick=0.2, title="likelihood given", fixedrange=True, zeroline=False,
                   automargin=True),
        yaxis=dict(range=[-0.06, 1.08], tickformat=".0%", dtick=0.2, title="share that happened", fixedrange=True, zeroline=False,
                   automargin=True),
        height=340,
    ))
    return figure_json(fig)


def stage_rows(by_stage: Any) -> list[dict[str, Any]]:
    """by_stage as the assess stage gives it (a mapping stage -> numbers, or a list) -> rows in ladder order."""
    rows: list[dict[str, Any]] = []
    if isinstance(by_stage, dict):
        for stage, v in by_stage.items():
            row = dict(v) if isinstance(v, dict) else {"hit_rate": v}
            row.setdefault("stage", stage)
            rows.append(row)
    elif isinstance(by_stage, list):
        rows = [dict(r) for r in by_stage if isinstance(r, dict) and r.get("stage")]
    order = {s: i for i, s in enumerate(ALL_STAGES)}
    for r in rows:
        if r.get("hit_rate") is None and isinstance(r.get("hits"), int | float) and r.get("resolved"):
            r["hit_rate"] = r["hits"] / r["resolved"]
    return sorted(rows, key=lambda r: order.get(str(r["stage"]), 99))


def stage_chart(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Hit rate by stage as horizontal bars: one row per stage of the ladder, so the stage names sit one under
    another and never run into each other however narrow the screen ("advancedagreement" on a phone)."""
    import plotly.graph_objects as go

    rows = [r for r in rows if isinstance(r.get("hit_rate"), int | float)]
    if not rows:
        return None
    known = {str(r["stage"]): r for r in rows}
    order = [s for s in ALL_STAGES] + [s for s in known if s not in ALL_STAGES]
    fig = go.Figure(go.Bar(
        y=[str(r["stage"]) for r in rows], x=[r["hit_rate"] for r in rows], orientation="h",
        marker=dict(color=[STAGE_COLOURS.get(str(r["stage"]), "#64748b") for r in rows]),
        customdata=[[r.get("hits", "?"), r.get("resolved", "?")] for r in rows],
        text=[pct(r["hit_rate"]) for r in rows], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.0%} happened<br>%{customdata[0]} of %{customdata[1]} resolved claims<extra></extra>",
    ))
    fig.update_layout(**_layout(
        xaxis=dict(range=[0, 1.16], tickformat=".0%", dtick=0.25, title=None, fixedrange=True),
        yaxis=dict(title=None, fixedrange=True, categoryorder="array", categoryarray=order[::-1],
                   range=[-0.5, len(order) - 0.5], automargin=True, ticklabelstandoff=4),
        height=60 + 26 * len(order), showlegend=False, bargap=0.3, margin=dict(l=8, r=12, t=8, b=28),
    ))
    return figure_json(fig)


def evidence_segments(text: str, claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Split the article text into plain and highlighted pieces; each highlight lists the claims it supports."""
    spans: list[tuple[int, int, dict[str, Any]]] = []
    for c in claims:
        s, e = int(c.get("start") or 0), int(c.get("end") or 0)
        ev = c.get("evidence") or ""
        if not (0 <= s < e <= len(text)) or (ev and text[s:e] != ev):
            found = text.find(ev) if ev else -1
            if found < 0:
                continue
            s, e = found, found + len(ev)
        spans.append((s, e, c))
    spans.sort(key=lambda t: (t[0], -t[1]))
    merged: list[list[Any]] = []
    for s, e, c in spans:
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
            merged[-1][2].append(c)
        else:
            merged.append([s, e, [c]])
    out: list[dict[str, Any]] = []
    pos = 0
    for s, e, cs in merged:
        if s > pos:
            out.append({"text": text[pos:s], "claims": []})
        anchor = f"ev-{cs[0].get('id')}"
        for c in cs:
            c["anchor"] = anchor  # every claim of a merged highlight links to it
        out.append({"text": text[s:e], "claims": cs, "anchor": anchor})
        pos = e
    if pos < len(text):
        out.append({"text": text[pos:], "claims": []})
    return out


def page_info(total: int, page: int, per_page: int) -> dict[str, Any]:
    last = max(1, math.ceil(total / per_page))
    return {"page": page, "last": last, "total": total, "per_page": per_page}


def query_string(request: Request, **changes: Any) -> str:
    params = dict(request.query_params)
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = str(v)
    return ("?" + urlencode(params)) if params else "?"


def int_param(request: Request, name: str, default: int, lo: int = 1, hi: int = 10**6) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise HTTPException(422, f"{name} must be a whole number (got {raw!r})") from None
    if not lo <= value <= hi:
        raise HTTPException(422, f"{name} must be between {lo} and {hi} (got {value})")
    return value


def choice_param(request: Request, name: str, choices: tuple[str, ...], default: str) -> str:
    raw = request.query_params.get(name) or default
    if raw not in choices:
        raise HTTPException(422, f"{name} must be one of {', '.join(choices)} (got {raw!r})")
    return raw


def as_of_param(request: Request) -> dt.date | None:
    """The date box: `?as_of=YYYY-MM-DD` (empty: today's view)."""
    raw = (request.query_params.get("as_of") or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise HTTPException(422, f"as_of must be a date YYYY-MM-DD (got {raw!r})") from None


def add_pages(app: FastAPI, db: Database, catalog: Catalog) -> None:
    import plotly

    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

    gzipped: list[bytes] = []

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_bundle(request: Request) -> Response:
        """The Plotly bundle shipped in the plotly package (4.8 MB; 1.4 MB gzipped, compressed once and kept)."""
        if not plotly_js.is_file():
            raise HTTPException(404, "plotly.min.js is missing from the installed plotly package")
        headers = {"Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            if not gzipped:
                gzipped.append(gzip.compress(plotly_js.read_bytes(), compresslevel=6))
            return Response(gzipped[0], media_type="text/javascript", headers={**headers, "Content-Encoding": "gzip"})
        return FileResponse(plotly_js, media_type="text/javascript", headers=headers)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def sources_ix() -> dict[str, str]:
        return catalog.source_index()

    @app.get("/", include_in_schema=False)
    def board(request: Request) -> HTMLResponse:
        sort = choice_param(request, "sort", ("likelihood", "recent"), "likelihood")
        # a desk wants what is live: settled stories are one tab away ("resolved" is the old name of that tab)
        status = choice_param(request, "status", ("live", "settled", "all", "resolved"), "live")
        status = "settled" if status == "resolved" else status
        role = choice_param(request, "role", ("all", "player", "manager", "staff"), "all")
        kind = choice_param(request, "kind", ("move", "vacancy", "person"), "move")
        q = (request.query_params.get("q") or "").strip()[:200] or None
        page = int_param(request, "page", 1)
        as_of = as_of_param(request)  # what was known on that day: its claims, outcomes, spells and track records
        try:
            rows = filter_stories(sorted_stories(catalog, kind, as_of, sort), status=status, q=q,
                                  role=None if role == "all" or kind == "person" else role)
        except ServiceUnavailable as exc:
            return render(request, "board.html", title="Rumour board", unavailable=str(exc), stories=[],
                          pg=page_info(0, 1, PER_PAGE), sort=sort, status=status, role=role, q=q, qs=query_string, kind=kind,
                          recent_claims=recent_claims(db), as_of=as_of)
        items = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
        return render(request, "board.html", title="Rumour board", stories=items, pg=page_info(len(rows), page, PER_PAGE),
                      sort=sort, status=status, role=role, q=q, qs=query_string, unavailable=None, sources_ix=sources_ix(),
                      kind=kind, as_of=as_of)

    @app.get("/stories/{story_id}", include_in_schema=False)
    def story_page(request: Request, story_id: str) -> HTMLResponse:
        as_of = as_of_param(request)
        try:
            story = catalog.story(story_id, as_of)
        except ServiceUnavailable as exc:
            raise HTTPException(503, str(exc)) from None
        if story is None:
            raise HTTPException(404, f"There is no story “{story_id}”.")
        claims = sorted(story.get("claims") or [], key=lambda c: (str(c.get("date")), c.get("id") or 0))
        competitors = list(story.get("competitors") or [])
        if story.get("kind", "move") == "move":
            competitors.append(story)
        competitors = sorted(competitors, key=lambda s: -(s.get("probability") or 0))
        return render(request, "story.html", title=_story_title(story), story=story,
                      claims=claims, competitors=competitors, chart=story_chart(story), sources_ix=sources_ix(),
                      as_of=as_of)

    LEADERBOARD_MIN_RESOLVED = 5  # the leaderboard ranks sources with at least this many settled claims

    @app.get("/sources", include_in_schema=False)
    def leaderboard(request: Request) -> HTMLResponse:
        kind = choice_param(request, "kind", ("all", "journalist", "outlet", "club", "party"), "all")
        sort = choice_param(request, "sort", ("credibility", "hit_rate", "brier", "claims", "resolved", "name"), "credibility")
        min_resolved = int_param(request, "min_resolved", LEADERBOARD_MIN_RESOLVED, 0)
        page = int_param(request, "page", 1)
        try:
            all_rows = catalog.sources()
        except ServiceUnavailable as exc:
            raise HTTPException(503, str(exc)) from None
        rows = filter_sources(sorted_sources(catalog, sort), kind=None if kind == "all" else kind,
                              min_resolved=min_resolved)
        per_page = 50
        items = rows[(page - 1) * per_page : page * per_page]
        # hit rate by stage over every source (claims counted once per source that made them)
        totals: dict[str, dict[str, float]] = {}
        for src in all_rows:
            if src.get("kind") != "outlet":
                continue
            for r in stage_rows(src.get("by_stage")):
                t = totals.setdefault(str(r["stage"]), {"hits": 0, "resolved": 0})
                if isinstance(r.get("hits"), int | float) and isinstance(r.get("resolved"), int | float):
                    t["hits"] += r["hits"]
                    t["resolved"] += r["resolved"]
        overall = [{"stage": s, "hits": int(t["hits"]), "resolved": int(t["resolved"]), "hit_rate": t["hits"] / t["resolved"]}
                   for s, t in totals.items() if t["resolved"]]
        best = max((_f(r.get("credibility")) for r in rows), default=1.0) or 1.0
        return render(request, "sources.html", title="Source leaderboard", sources=items, kind=kind, sort=sort,
                      min_resolved=min_resolved, pg=page_info(len(rows), page, per_page), qs=query_string, best=best,
                      stage_chart=stage_chart(stage_rows({r["stage"]: r for r in overall})), offset=(page - 1) * per_page)

    @app.get("/sources/{source_id}", include_in_schema=False)
    def source_page(request: Request, source_id: str) -> HTMLResponse:
        try:
            src = catalog.source(source_id)
        except ServiceUnavailable as exc:
            raise HTTPException(503, str(exc)) from None
        if src is None:
            raise HTTPException(404, f"There is no source “{source_id}”.")
        stages = stage_rows(src.get("by_stage"))
        raw = src.get("claims")
        claims: list[dict[str, Any]] = raw if isinstance(raw, list) else []
        claims = sorted(claims, key=lambda c: str(c.get("date")), reverse=True)
        listed = next((r for r in catalog.sources() if str(r.get("id")) == source_id), None)
        n_claims = listed.get("claims") if listed else (src.get("claims") if isinstance(src.get("claims"), int) else len(claims))
        show_all = request.query_params.get("claims") == "all"
        return render(request, "source.html", title=str(src.get("name")), src=src, stages=stages,
                      claims=claims if show_all else claims[:50], n_listed=len(claims),
                      n_claims=n_claims, calibration=calibration_chart(src.get("calibration") or []),
                      stage_chart=stage_chart(stages), story_ix=catalog.claim_stories())

    @app.get("/articles", include_in_schema=False)
    def articles_page(request: Request) -> HTMLResponse:
        page = int_param(request, "page", 1)
        outlet = (request.query_params.get("outlet") or "").strip() or None
        total, rows = list_articles(db, limit=PER_PAGE, offset=(page - 1) * PER_PAGE, lead=True, outlet=outlet)
        items = [{"id": r["id"], "date": dt.date.fromisoformat(r["date"]), "outlet": r["outlet"], "author": r["author"],
                  "title": r["lead"], "claims": r["claims"]} for r in rows]
        return render(request, "articles.html", title="Articles", articles=items, outlet=outlet,
                      pg=page_info(total, page, PER_PAGE), qs=query_string)

    @app.get("/articles/{article_id}", include_in_schema=False)
    def article_page(request: Request, article_id: int) -> HTMLResponse:
        story_ix = catalog.claim_stories()
        with db.session() as s:
            a = s.get(Article, article_id)
            if a is None:
                raise HTTPException(404, f"There is no article {article_id}.")
            claims = []
            for c in sorted(a.claims, key=lambda c: (c.start, c.id)):
                claims.append({
                    "id": c.id, "club": c.club, "person": c.person, "role": c.role, "stage": c.stage,
                    "certainty": c.certainty, "journalist": c.journalist, "outlet": c.outlet, "evidence": c.evidence,
                    "start": c.start, "end": c.end, "date": c.claim_date,
                    "story_id": story_ix.get(c.id),
                })
            art: dict[str, Any] = {"id": a.id, "date": a.date, "outlet": a.outlet, "author": a.author, "url": a.url, "title": a.title,
                   "origin": a.origin, "text": a.text, "lang": a.lang}
        return render(request, "article.html", title=art["title"] or f"Article {art['id']}", art=art, claims=claims,
                      segments=evidence_segments(art["text"], claims), sources_ix=sources_ix())

    @app.get("/api", include_in_schema=False)
    def api_reference(request: Request) -> HTMLResponse:
        """The API reference, rendered here from the OpenAPI document (works offline, unlike Swagger UI's CDN assets)."""
        spec = app.openapi()
        endpoints = []
        for path, ops in spec.get("paths", {}).items():
            for method, op in ops.items():
                params = []
                for prm in op.get("parameters", []):
                    schema = prm.get("schema", {})
                    kinds = [x.get("format") or x.get("type") for x in schema.get("anyOf", [schema]) if x.get("type") != "null"]
                    enum = next((x.get("enum") for x in schema.get("anyOf", [schema]) if x.get("enum")), None)
                    params.append({"name": prm["name"], "in": prm["in"], "required": prm.get("required", False),
                                   "type": " | ".join(str(k) for k in kinds if k), "enum": enum,
                                   "default": schema.get("default"), "description": prm.get("description", "")})
                endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                                  "description": op.get("description", ""), "params": params,
                                  "tag": (op.get("tags") or [""])[0]})
        return render(request, "api.html", title="API reference", endpoints=endpoints, version=spec["info"]["version"])

    @app.get("/search", include_in_schema=False)
    def search_page(request: Request) -> HTMLResponse:
        q = (request.query_params.get("q") or "").strip()[:200]
        hits = search(db, catalog, q) if len(q) >= 2 else []
        groups: dict[str, list[dict[str, Any]]] = {"story": [], "source": [], "article": []}
        for h in hits:
            groups[h["type"]].append(h)
        return render(request, "search.html", title=f"Search: {q}" if q else "Search", q=q, groups=groups,
                      too_short=0 < len(q) < 2)


def _story_title(s: dict[str, Any]) -> str:
    if s.get("kind") == "vacancy":
        return f"{s.get('club')} {s.get('role') or ''} job"
    if s.get("kind") == "person":
        return f"Where will {s.get('person')} go?"
    return f"{s.get('person')} → {s.get('club')}"


def _f(v: Any) -> float:
    return float(v) if isinstance(v, int | float) else 0.0


__all__ = ["add_pages", "error_page", "evidence_segments", "STAGES"]
