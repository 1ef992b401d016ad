"""Identity-number detection: valid control digits are refused, look-alikes are not."""

from hypothesis import given
from hypothesis import strategies as st

from app.applicants.identity import _K1, _K2, contains_identity_number, is_identity_number


def _check(digits, weights):
    return (11 - sum(d * w for d, w in zip(digits, weights, strict=False)) % 11) % 11


def _with_controls(prefix: str) -> str | None:
    digits = [int(c) for c in prefix]
    k1 = _check(digits, _K1)
    k2 = _check([*digits, k1], _K2) if k1 != 10 else 10
    return None if 10 in (k1, k2) else prefix + f"{k1}{k2}"


def identity_numbers():
    prefixes = st.builds(
        lambda day, d_number, month, year, individual: (
            f"{day + (40 if d_number else 0):02d}{month:02d}{year:02d}{individual:03d}"
        ),
        st.integers(1, 28),
        st.booleans(),
        st.integers(1, 12),
        st.integers(0, 99),
        st.integers(0, 999),
    )
    return prefixes.map(_with_controls).filter(lambda n: n is not None)


@given(identity_numbers(), st.booleans())
def test_valid_numbers_are_found_with_or_without_space(number, spaced):
    text = f"{number[:6]} {number[6:]}" if spaced else number
    assert is_identity_number(number)
    assert contains_identity_number(f"Søker med fnr {text} ringte.")


@given(
    identity_numbers(),
    st.sampled_from(
        [
            "{d}{m}{y}-{p}",
            "{d}{m}{y}.{p}",
            "{d} {m} {y} {p}",
            "{d}.{m}.{y} {p}",
            "{d}/{m}/{y}-{p}",
            "{d}{m}{y}\u00a0{p}",
        ]
    ),
)
def test_numbers_written_with_separators_are_found(number, layout):
    d, m, y, p = number[:2], number[2:4], number[4:6], number[6:]
    assert contains_identity_number(f"fnr: {layout.format(d=d, m=m, y=y, p=p)}.")


def test_the_issue_examples_are_found():
    for text in ("010190-10046", "010190.10046", "01 01 90 10046", "01019010046"):
        assert is_identity_number("01019010046") and contains_identity_number(text)


@given(identity_numbers(), st.integers(0, 8))
def test_a_wrong_control_digit_is_accepted(number, position):
    digits = list(number)
    digits[10] = str((int(digits[10]) + 1 + position % 9) % 10)
    broken = "".join(digits)
    assert not is_identity_number(broken) or broken == number


def test_phone_numbers_dates_and_case_numbers_are_accepted():
    for text in (
        "Ring 915 55 123 eller +47 69 17 45 00",
        "Innflytting 01.02.2027",
        "Saksnr 2026/12345",
        "12345678901",  # 11 digits, control digits wrong
        "",
        None,
    ):
        assert not contains_identity_number(text)
