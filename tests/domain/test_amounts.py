import pytest

from desktop.domain.amounts import amount_in_words, format_yuan


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),
        ("107000.53", "人民币壹拾万零柒仟元伍角叁分"),
        ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "人民币叁佰贰拾伍元零肆分"),
        ("101000", "人民币壹拾万零壹仟元整"),
        ("1000.00", "人民币壹仟元整"),
        ("15", "人民币壹拾伍元整"),
        ("0.50", "人民币伍角"),
        ("0.05", "人民币伍分"),
        ("0", "人民币零元整"),
        ("100000001", "人民币壹亿零壹元整"),
        ("100010000", "人民币壹亿零壹万元整"),
        ("6007.14", "人民币陆仟零柒元壹角肆分"),
        ("2.005", "人民币贰元零壹分"),  # rounded half up to the fen
        ("-38.5", "人民币负叁拾捌元伍角"),
    ],
)
def test_amounts_in_words_follow_the_peoples_bank_rules(amount, words):
    assert amount_in_words(amount) == words


def test_never_zheng_after_fen_and_always_after_yuan():
    for cents in range(0, 100_000, 7):
        words = amount_in_words(f"{cents / 100:.2f}")
        assert not words.endswith("分整")
        assert words.endswith("整") == (cents % 100 == 0)
        assert "零零" not in words


def test_figures_beside_the_words():
    assert format_yuan("1680.3") == "￥1,680.30"
    assert format_yuan("-5") == "-￥5.00"
