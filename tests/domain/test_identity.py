import pytest

from desktop.domain.identity import credit_code_problem, id_card_problem


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014", "11010119900307803X"])
def test_valid_id_card_numbers_pass(number):
    assert id_card_problem(number) is None


@pytest.mark.parametrize(
    ("number", "problem"),
    [("110105194912310021", "check digit"), ("11010519491331002X", "birth date"), ("1101051949123100", "17 digits")],
)
def test_bad_id_card_numbers_say_what_is_wrong(number, problem):
    assert problem in id_card_problem(number)


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L"])
def test_valid_credit_codes_pass(code):
    assert credit_code_problem(code) is None


@pytest.mark.parametrize(("code", "problem"), [("91350100M000100Y44", "check"), ("91350100M000100Y4", "18"), ("9135010OM000100Y43", "18")])
def test_bad_credit_codes_say_what_is_wrong(code, problem):
    assert problem in credit_code_problem(code)
