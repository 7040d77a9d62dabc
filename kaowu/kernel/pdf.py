"""The one PDF renderer: Typst templates filled with JSON data, set in Noto CJK: the sans from PyPI
(noto-cjk-sans-otc, bundled) for tickets, labels and working sheets; the serif (Noto Serif CJK SC Regular and
Bold, Debian's fonts-noto-cjk, installed by `make fonts`) for the official printouts — a 宋体-style body and a
小标宋-style bold title (kernel/official.typ).

A template reads its data with `#let data = json(bytes(sys.inputs.data))` and the print time with
`sys.inputs.at("printed_at", default: "")`. Templates live anywhere under the `kaowu` package, which is the
Typst root, so they may import shared Typst files by absolute path ("/core/….typ"). Templates set
`font: "Noto Sans CJK SC"`: the bundled collection also holds TC/JP/KR/HK faces, SC has the mainland forms.
It has one weight (Regular), and Typst does not embolden, so bold is drawn with a hairline text stroke.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pathlib
import threading
import warnings

import noto_cjk_sans_otc
import typst
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from kaowu.kernel import clock

ROOT = pathlib.Path(__file__).resolve().parents[1]
FONT_DIR = pathlib.Path(str(noto_cjk_sans_otc.FONT_PATH)).parent
SERIF_FONT_DIR = pathlib.Path(os.environ.get("KAOWU_SERIF_FONT_DIR", "/usr/share/fonts/opentype/noto"))
CACHE_SECONDS = 24 * 3600

# Loaded once per process: scanning the 19 MB collection on every call would dominate the ~2 ms compile.
# Only this font: exam sites run on closed machines whose system fonts we cannot know.
# A printout set in a family that is missing would print in a fallback face: Typst warns, render() re-issues
# the warning, and the suite (which makes warnings errors) fails — so `make fonts` must have run.
_FONTS = typst.Fonts(
    include_system_fonts=False,
    include_embedded_fonts=False,
    font_paths=[str(FONT_DIR)] + ([str(SERIF_FONT_DIR)] if SERIF_FONT_DIR.is_dir() else []),
)
_COMPILER = typst.Compiler(root=str(ROOT), font_paths=_FONTS, ignore_system_fonts=True)
# The compiler keeps mutable state (its world and sys.inputs); threaded servers must take turns.
_LOCK = threading.Lock()


def render(template: pathlib.Path, data: dict) -> bytes:
    """Compile `template` with `data` (JSON-serialisable; dates and decimals allowed) into PDF bytes.

    Typst warnings (e.g. an unknown font family, which would print tofu) are re-issued as Python warnings,
    so the test suite, which turns warnings into errors, fails on them.
    """
    template = pathlib.Path(template).resolve()
    if not template.is_relative_to(ROOT):
        raise ValueError(f"Typst template must live under {ROOT}: {template}")
    # Typst wants whole seconds and a fixed offset (a clock pinned with a named zone has none).
    now = clock.now().replace(microsecond=0).astimezone(dt.UTC)
    inputs = {
        "data": json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder),
        "printed_at": f"{timezone.localtime(now):%Y-%m-%d %H:%M}",
    }
    with _LOCK:
        pdf, found = _COMPILER.compile_with_warnings(input=template, format="pdf", sys_inputs=inputs, timestamp=now)
    for warning in found:
        warnings.warn(warning, stacklevel=2)
    return pdf


def render_inline(layout: pathlib.Path, function: str, data: dict) -> bytes:
    """`render` for documents printed one compile after another (admission tickets): the data
    reaches Typst inside the source, as a string literal, instead of in sys.inputs.

    Typst keys its memoised layout on the standard library, which holds sys.inputs, so new data in sys.inputs
    lays out the whole page again; data in the source leaves the library alone and what did not change (a
    ticket's form) is reused: about 5 ms instead of 9 per ticket. Same compiler, fonts, lock and warning
    handling as `render`. `layout` is a Typst file under the root exporting `function(data)`.
    """
    path = "/" + pathlib.Path(layout).resolve().relative_to(ROOT).as_posix()
    payload = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)
    # Compact JSON has no raw control characters; only backslashes and quotes need escaping for Typst.
    literal = payload.replace("\\", "\\\\").replace('"', '\\"')
    source = f'#import "{path}": {function}\n#{function}(json(bytes("{literal}")))\n'.encode()
    # Typst wants a fixed offset; a clock pinned with a named zone (the demo loader) has none.
    now = clock.now().replace(microsecond=0).astimezone(dt.UTC)
    with _LOCK:
        body, found = _COMPILER.compile_with_warnings(input=source, format="pdf", sys_inputs={}, timestamp=now)
    for warning in found:
        warnings.warn(warning, stacklevel=2)
    return body


def compile_source(source: bytes, *, format: str = "pdf") -> bytes:
    """A Typst source (not a file) compiled with the one compiler, fonts and lock; `format` "pdf" or "svg" (a
    part drawn once and placed as an image on many pages, e.g. an answer sheet's bubbles)."""
    now = clock.now().replace(microsecond=0).astimezone(dt.UTC)
    with _LOCK:
        body, found = _COMPILER.compile_with_warnings(input=source, format=format, sys_inputs={}, timestamp=now)
    for warning in found:
        warnings.warn(warning, stacklevel=2)
    return body


def render_cached(key: str, template: pathlib.Path, data: dict) -> bytes:
    """`render`, reusing an earlier PDF of the same `key` only while `data` is unchanged.

    The cache key carries a digest of the data, so any change to the object gives a new PDF. The print time
    on a reused PDF is the time it was first rendered, which is when its content was true.
    """
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)
    digest = hashlib.sha256(f"{template}\n{payload}".encode()).hexdigest()
    cache_key = f"pdf:{key}:{digest}"
    pdf = cache.get(cache_key)
    if pdf is None:
        pdf = render(template, data)
        cache.set(cache_key, pdf, CACHE_SECONDS)
    return pdf


def query(template: pathlib.Path, data: dict, selector: str) -> list:
    """The values of the `#metadata` elements that `selector` finds when `template` is set with `data`.

    For tests: a PDF's text is subset glyph codes, so a template shows what it received by
    `#metadata(...) <label>`, and this reads that back without parsing the PDF.
    """
    found = typst.query(
        pathlib.Path(template).resolve(),
        selector,
        field="value",
        root=str(ROOT),
        font_paths=_FONTS,
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)},
    )
    return json.loads(found)
