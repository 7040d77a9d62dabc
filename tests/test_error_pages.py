"""Chinese error pages inside the site layout, with a way home; JSON for the API; the API docs from the installed
package (no CDN); a favicon."""

from django.test import Client


def test_another_organisations_plan_is_a_chinese_404_inside_the_layout_ORG_4(client, plan_b, org_admin):
    client.force_login(org_admin.user)
    r = client.get(f"/plans/{plan_b.pk}/")
    html = r.content.decode()
    assert r.status_code == 404
    assert "未找到该记录" in html and "返回首页" in html and 'class="topbar"' in html and "功能菜单" in html


def test_an_unknown_address_is_a_chinese_404_for_the_public_too(db):
    r = Client().get("/no/such/page/")
    assert r.status_code == 404 and "未找到该记录" in r.content.decode() and "Page not found" not in r.content.decode()


def test_the_api_answers_json_404_in_chinese(client, plan_b, org_admin):
    client.force_login(org_admin.user)
    r = client.get(f"/api/v1/plans/{plan_b.pk}")
    assert r.status_code == 404 and r["Content-Type"].startswith("application/json") and "未找到" in r.json()["message"]


def test_another_partys_action_is_a_chinese_403_page(client, open_plan, org_admin):
    client.force_login(org_admin.user)
    r = client.post(f"/plans/{open_plan.pk}/accept/", {"opinion": "自己受理"})
    assert r.status_code == 403 and "无权办理" in r.content.decode() and "返回首页" in r.content.decode()


def test_a_server_error_is_a_chinese_page_without_a_traceback(settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "系统暂时出现错误" in html and "返回首页" in html and "Traceback" not in html


def test_the_api_docs_page_loads_swagger_from_the_installed_package_not_a_cdn(client, org_admin):
    client.force_login(org_admin.user)
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html and "/static/ninja/" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html


def test_every_page_has_a_favicon(client):
    html = client.get("/login/").content.decode()
    assert 'rel="icon"' in html
