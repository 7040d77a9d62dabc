from django.urls import path

from kaowu.items.views import bank

app_name = "items"

urlpatterns = [
    path("blueprints/", bank.blueprint_list, name="blueprints"),
    path("blueprints/<int:pk>/", bank.blueprint_detail, name="blueprint"),
    path("blueprints/<int:pk>/items/", bank.item_list, name="items"),
    path("blueprints/<int:pk>/assemble/", bank.assemble, name="assemble"),
    path("blueprints/<int:pk>/items/new/", bank.item_new, name="item_new"),
    path("blueprints/<int:pk>/upload/<str:what>/", bank.blueprint_upload, name="upload"),
    path("items/<int:pk>/edit/", bank.item_edit, name="item_edit"),
    path("items/<int:pk>/versions/<int:number>/image", bank.item_image, name="item_image"),
    path("items/<int:pk>/status/<str:to>/", bank.item_status, name="item_status"),
    path("items/<int:pk>/", bank.item_detail, name="item"),
    path("assemblies/<int:pk>/", bank.assembly_detail, name="assembly"),
    path("assemblies/<int:pk>/pack/", bank.pack_start, name="pack_start"),
    path("assemblies/<int:pk>/pack/progress/", bank.pack_progress, name="pack_progress"),
    path("assemblies/<int:pk>/pack.zip", bank.pack_download, name="pack_download"),
    path("papers/<int:pk>/", bank.paper_detail, name="paper"),
    path("papers/<int:pk>/<str:action>/", bank.paper_action, name="paper_action"),
    path("papers/<int:pk>/pdf/<str:kind>.pdf", bank.paper_pdf, name="paper_pdf"),
]
