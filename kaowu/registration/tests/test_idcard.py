"""Identity numbers: GB 11643 check character, birth date and sex, other document types (NAT-6, NAT-7)."""

import datetime as dt

from kaowu.registration.idcard import DocType, check, check_character


def valid(first17: str) -> str:
    return first17 + check_character(first17)


def test_a_valid_number_derives_birth_date_and_sex_NAT_6():
    result = check("11010519491231002X")
    assert result.ok, result.errors
    assert result.birth_date == dt.date(1949, 12, 31)
    assert result.sex == "F"  # sequence 002: even


def test_a_wrong_check_character_is_refused_without_naming_the_right_one_NAT_6():
    result = check("110105194912310021")
    assert not result.ok
    assert "校验码错误" in result.errors[0] and "X" not in result.errors[0]  # the right one (X) is never told
    assert check("11010519491231002X").ok


def test_lower_case_x_full_width_digits_and_spaces_are_normalised_NAT_6():
    assert check(" １１０１０５１９４９１２３１００２x ").number == "11010519491231002X"
    assert check("11010519491231002x").ok


def test_an_impossible_birth_date_is_refused_NAT_6():
    result = check(valid("11010519490231001"))  # 31 February... 0231
    assert not result.ok and "不是有效日期" in result.errors[0]


def test_an_unknown_region_only_warns_NAT_6():
    result = check(valid("99010519900101001"))
    assert result.ok and result.warnings


def test_hong_kong_macao_taiwan_residence_permit_uses_the_same_scheme_NAT_7():
    assert check(valid("81000019900101001"), DocType.HK_MO_TW_PERMIT).ok
    assert not check(valid("11010519900101001"), DocType.HK_MO_TW_PERMIT).ok


def test_foreign_permanent_residence_card_2023_starts_with_9_NAT_7():
    assert check(valid("93310019900101001"), DocType.FOREIGN_PERMANENT).ok
    assert not check(valid("11010519900101001"), DocType.FOREIGN_PERMANENT).ok


def test_a_passport_has_no_check_character_NAT_7():
    assert check("E12345678", DocType.PASSPORT).ok
    assert not check("E1-2345", DocType.PASSPORT).ok
