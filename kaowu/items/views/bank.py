"""Screens of the item bank: blueprints with their tree and thin points, the bank of a blueprint, one item
(content audited), assembly with its coverage table, a paper with its seal, custody and opening.

Item and paper content answer 404 to everyone outside the organisation's item bank (DAY-3), like a missing row.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from kaowu.items import queries, tasks
from kaowu.items.enums import ITEM_TRANSITIONS, ItemStatus
from kaowu.items.errors import ImportRefused
from kaowu.items.forms import ItemForm, UploadForm
from kaowu.items.permissions import is_item_bank, may_edit_blueprint
from kaowu.items.printouts import answer_key_pdf, booklet_pdf
from kaowu.items.services import assembly, blueprints, imports, sealing
from kaowu.items.services import items as item_services
from kaowu.kernel.downloads import download
from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.kernel.forms import show_error
from kaowu.kernel.views import actor_of

NOT_FOUND = "未找到该记录，或您无权查看。"
ITEMS_PAGE = 50


def _bank(actor):
    if not is_item_bank(actor):
        raise Http404(NOT_FOUND)


@login_required
def blueprint_list(request):
    actor = actor_of(request)
    rows = list(queries.blueprints_for(actor).order_by("pk"))
    return render(request, "items/blueprints.html", {"rows": rows, "bank": is_item_bank(actor)})


@login_required
def blueprint_detail(request, pk: int):
    actor = actor_of(request)
    bp = queries.blueprint_for(actor, pk)
    thin = blueprints.thin_points(bp)
    context = {
        "bp": bp,
        "tree": queries.tree(bp),
        "thin": thin,
        "bank": is_item_bank(actor),
        "editor": may_edit_blueprint(actor, bp.org_id),
    }
    if is_item_bank(actor):
        context["assemblies"] = list(queries.assemblies_for(actor).filter(blueprint=bp)[:10])
    return render(request, "items/blueprint.html", context)


@login_required
def item_list(request, pk: int):
    actor = actor_of(request)
    _bank(actor)
    bp = queries.blueprint_for(actor, pk)
    qs = queries.items_for(actor).filter(blueprint=bp).order_by("point__ordinal", "pk")
    point, status = request.GET.get("point", ""), request.GET.get("status", "")
    if point:
        qs = qs.filter(point__code=point)
    if status in ItemStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, ITEMS_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "items/items.html",
        {
            "bp": bp,
            "page": page,
            "rows": list(page.object_list),
            "points": list(queries.points_of(bp).order_by("ordinal").values_list("code", "name")),
            "statuses": ItemStatus.choices,
            "point": point,
            "status": status if status in ItemStatus.values else "",
            "query": urlencode({"point": point}) + "&" if point else "",
        },
    )


@login_required
def item_detail(request, pk: int):
    actor = actor_of(request)
    item = queries.item_for(actor, pk)  # 404 outside the item bank
    sealing.record_content_view(actor=actor, obj=item, what="item")
    labels = {
        ItemStatus.REVIEWED: ("审核通过", "ok"),
        ItemStatus.ACTIVE: ("启用", "primary"),
        ItemStatus.DRAFT: ("退回修改", ""),
        ItemStatus.RETIRED: ("停用", "danger"),
    }
    steps = [(to.value, *labels[to]) for to in labels if to in ITEM_TRANSITIONS[ItemStatus(item.status)]]
    return render(
        request, "items/item.html", {"item": item, "versions": list(queries.versions_of(item)), "steps": steps}
    )


@login_required
@require_POST
def assemble(request, pk: int):
    actor = actor_of(request)
    _bank(actor)
    bp = queries.blueprint_for(actor, pk)
    try:
        versions = int(request.POST.get("versions") or 2)
        made = assembly.assemble(actor=actor, blueprint=bp, versions=versions, seed=request.POST.get("seed") or None)
    except (KaowuError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "卷别数须为数字。"))
        return redirect("items:blueprint", pk=bp.pk)
    messages.success(request, f"组卷完成（种子 {made.seed}）。")
    return redirect("items:assembly", pk=made.pk)


@login_required
def assembly_detail(request, pk: int):
    actor = actor_of(request)
    a = queries.assembly_for(actor, pk)  # 404 outside the item bank
    return render(
        request,
        "items/assembly.html",
        {
            "a": a,
            "papers": list(a.papers.all()),
            "pack": tasks.print_pack_state(a),
            "envelopes": tasks.envelope_rows(a),
            "sheets": tasks.with_answer_sheets(a),
        },
    )


# 印制包: booklets, answer sheets per room and the packing list, made by the job runner with a progress bar ----


def _pack(request, a, state, error: str = ""):
    return render(request, "items/_pack.html", {"a": a, "pack": state, "pack_error": error})


@login_required
@require_POST
def pack_start(request, pk: int):
    actor = actor_of(request)
    a = queries.assembly_for(actor, pk)
    try:
        state = tasks.start_print_pack(assembly=a, actor=actor)
    except KaowuError as exc:
        if request.htmx:
            return _pack(request, a, tasks.print_pack_state(a), exc.message)
        messages.error(request, exc.message)
        return redirect("items:assembly", pk=a.pk)
    if request.htmx:
        return _pack(request, a, state)
    return redirect(f"{reverse('items:assembly', args=[a.pk])}#pack")


@login_required
@require_GET
def pack_progress(request, pk: int):
    """The progress fragment; htmx polls it every second while the pack is being made."""
    a = queries.assembly_for(actor_of(request), pk)
    return _pack(request, a, tasks.print_pack_state(a))


@login_required
@require_GET
def pack_download(request, pk: int):
    """The pack holds item content: item bank only (404 otherwise), and each download is audited (DAY-3)."""
    actor = actor_of(request)
    a = queries.assembly_for(actor, pk)
    path = tasks.print_pack_file(a)
    if path is None:
        raise Http404("印制包尚未生成或已过期（座位、准考证或卷别有变），请重新生成。")
    sealing.record_content_view(actor=actor, obj=a, what="print_pack")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=f"印制包-{a.pk}.zip", content_type="application/zip"
    )


@login_required
def paper_detail(request, pk: int):
    actor = actor_of(request)
    paper = queries.paper_for(actor, pk)
    readable = queries.may_read_content(actor, paper)
    return render(
        request,
        "items/paper.html",
        {"paper": paper, "readable": readable, "custody": list(queries.custody_of(paper)), "bank": is_item_bank(actor)},
    )


@login_required
@require_POST
def paper_action(request, pk: int, action: str):
    actor = actor_of(request)
    paper = queries.paper_for(actor, pk)
    act = {"seal": sealing.sign_seal, "open": sealing.sign_opening, "discard": sealing.discard}.get(action)
    if act is None:
        raise Http404(NOT_FOUND)
    try:
        act(actor=actor, paper=paper)
        messages.success(request, "已签字。")
    except KaowuError as exc:
        messages.error(request, exc.message)
    return redirect("items:paper", pk=paper.pk)


@login_required
def paper_pdf(request, pk: int, kind: str):
    actor = actor_of(request)
    paper, _rows = queries.paper_content_for(actor, pk)  # 404 unless the content is readable now
    if kind == "key" and not is_item_bank(actor):
        raise Http404(NOT_FOUND)
    sealing.record_content_view(actor=actor, obj=paper, what="booklet" if kind == "booklet" else "answer_key")
    body = booklet_pdf(paper) if kind == "booklet" else answer_key_pdf(paper)
    name = "试卷" if kind == "booklet" else "标准答案"
    return download(body, f"{name}-{paper.version}卷-{paper.pk}.pdf")


# The editor: new item, new version, review steps, spreadsheet uploads ---------------------------------------


def _points(bp):
    return list(queries.points_of(bp).order_by("ordinal"))


@login_required
def item_new(request, pk: int):
    actor = actor_of(request)
    _bank(actor)
    bp = queries.blueprint_for(actor, pk)
    points = _points(bp)
    form = ItemForm(
        request.POST or None, request.FILES or None, points=points, initial={"point": request.GET.get("point") or None}
    )
    if request.method == "POST" and form.is_valid():
        point = next(p for p in points if p.pk == form.cleaned_data["point"])
        try:
            item = item_services.create_item(
                actor=actor,
                blueprint=bp,
                point=point,
                kind=form.cleaned_data["kind"],
                content=form.content(),
                difficulty=form.cleaned_data["difficulty"],
            )
        except KaowuError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"试题 #{item.pk} 已保存为草稿，须由其他审题人员审核后才能启用。")
            return redirect("items:item", pk=item.pk)
    return render(request, "items/item_form.html", {"form": form, "bp": bp, "item": None})


@login_required
def item_edit(request, pk: int):
    actor = actor_of(request)
    item = queries.item_for(actor, pk)  # 404 outside the item bank
    points = _points(item.blueprint)
    initial = ItemForm.initial_of(item)
    form = ItemForm(request.POST or None, request.FILES or None, points=points, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        point = next(p for p in points if p.pk == form.cleaned_data["point"])
        try:
            item = item_services.edit_item(
                actor=actor,
                item=item,
                content=form.content(),
                point=point,
                difficulty=form.cleaned_data["difficulty"],
            )
        except KaowuError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"已保存为第{item.current.number}版，试题退回草稿，须重新审核。")
            return redirect("items:item", pk=item.pk)
    else:
        sealing.record_content_view(actor=actor, obj=item, what="item")
    return render(request, "items/item_form.html", {"form": form, "bp": item.blueprint, "item": item})


@login_required
@require_POST
def item_status(request, pk: int, to: str):
    actor = actor_of(request)
    item = queries.item_for(actor, pk)
    if to not in ItemStatus.values:
        raise Http404(NOT_FOUND)
    try:
        item_services.transition(actor=actor, item=item, to=to)
    except KaowuError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"试题已改为「{ItemStatus(to).label}」。")
    return redirect("items:item", pk=item.pk)


@login_required
@require_POST
def blueprint_upload(request, pk: int, what: str):
    """细目表 or 试题 from a spreadsheet: all rows or none, every bad row named with its row and column."""
    actor = actor_of(request)
    bp = queries.blueprint_for(actor, pk)
    if what not in ("tree", "items"):
        raise Http404(NOT_FOUND)
    if what == "items":
        _bank(actor)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要导入的 .xlsx 文件。")
        return redirect("items:blueprint", pk=bp.pk)
    upload = form.cleaned_data["file"]
    content = upload.read()
    try:
        if what == "tree":
            imports.import_blueprint(actor=actor, blueprint=bp, content=content, filename=upload.name)
            messages.success(request, "细目表已导入。")
        else:
            made = imports.import_items(actor=actor, blueprint=bp, content=content, filename=upload.name)
            messages.success(request, f"已导入{len(made)}道试题（草稿），须审核后启用。")
    except ImportRefused as exc:
        return render(request, "items/upload_refused.html", {"bp": bp, "errors": exc.errors, "what": what}, status=422)
    except KaowuError as exc:
        if isinstance(exc, NotAllowed):
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    return redirect("items:items" if what == "items" else "items:blueprint", pk=bp.pk)


@login_required
def item_image(request, pk: int, number: int):
    """A version's stem figure: content, so 404 outside the item bank and each view audited (DAY-3)."""
    from django.http import HttpResponse

    actor = actor_of(request)
    item = queries.item_for(actor, pk)
    version = item.versions.filter(number=number).order_by("pk").first()
    if version is None or not version.stem_image:
        raise Http404(NOT_FOUND)
    with version.stem_image.open("rb") as fh:
        content = fh.read()
    sealing.record_content_view(actor=actor, obj=item, what="item_image")
    kind = item_services.image_kind(content) or "png"
    response = HttpResponse(content, content_type=f"image/{kind}")
    response["Cache-Control"] = "private, no-store"
    return response
