import pytest

from kaowu.kernel.errors import KaowuError


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("13800138000", True),
        ("1380013800", False),
        ("138001380001", False),
        ("23800138000", False),
        ("1380013800a", False),
    ],
)
def test_a_portal_phone_is_a_mainland_mobile_of_11_digits_starting_with_1_REG_1(db, phone, ok):
    from kaowu.registration.candidates import register_candidate

    def register():
        return register_candidate(
            doc_type="id_card", doc_number="110105199003071239", name="张伟", phone=phone, password="kaowu-portal-2026"
        )

    if ok:
        assert register().user.username == phone
    else:
        with pytest.raises(KaowuError) as exc:
            register()
        assert exc.value.code == "phone_invalid" and exc.value.field == "phone" and "11位" in exc.value.message


def test_a_wrong_check_character_is_refused_without_telling_the_right_one_REG_1(db):
    from kaowu.registration import idcard

    result = idcard.check("110105199003071238")
    assert not result.ok and "校验码错误" in result.errors[0] and "9" not in result.errors[0].replace("17", "")
