"""Redaction: the access key, secret headers, configured fields and emails never survive."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from gscontract.redact import EMAIL_MASK, MASK, Redactor

KEY = "k3y-Sup3r-S3cret+/="


def test_literal_key_is_masked_in_plain_url_and_json_escaped_forms() -> None:
    redactor = Redactor(secrets=(KEY,))
    text = f"key={KEY} url=?k=k3y-Sup3r-S3cret%2B%2F%3D json={json.dumps({'k': KEY})}"
    out = redactor.text(text)
    assert "S3cret" not in out
    assert out.count(MASK) == 3


def test_short_literals_are_not_masked_as_text_but_still_in_secret_headers() -> None:
    redactor = Redactor(secrets=("ab",))
    assert redactor.text("about abc") == "about abc"
    assert redactor.text("curl -H 'accesskey: ab' http://x") == f"curl -H 'accesskey: {MASK}' http://x"


def test_curl_line_headers_fields_and_emails() -> None:
    redactor = Redactor(headers=("X-Tenant-Token",), fields=("Notes",))
    curl = (
        "curl -X POST -H 'AccessKey: abc' -H \"Authorization: Bearer t\" -H 'x-tenant-token: tt' "
        '-d \'{"Notes": "private \\"quoted\\" text", "Author": "jane.doe@example.com", "n": 1}\' '
        "http://127.0.0.1/v1/ant/es/activity"
    )
    out = redactor.text(curl)
    assert "abc" not in out
    assert "Bearer" not in out
    assert "tt'" not in out
    assert "private" not in out
    assert "jane.doe" not in out
    assert f'"Notes": "{MASK}"' in out
    assert EMAIL_MASK in out
    assert out.endswith("http://127.0.0.1/v1/ant/es/activity")


def test_header_map_masks_secret_headers_only() -> None:
    redactor = Redactor(headers=("X-Custom",))
    out = redactor.header_map({"accesskey": "a", "sharedSecret": "s", "X-Custom": "c", "Content-Type": "json"})
    assert out == {"accesskey": MASK, "sharedSecret": MASK, "X-Custom": MASK, "Content-Type": "json"}


def test_data_masks_fields_har_pairs_and_nested_strings() -> None:
    redactor = Redactor(secrets=(KEY,), fields=("password",))
    har = {
        "log": {
            "entries": [
                {
                    "request": {
                        "headers": [{"name": "AccessKey", "value": KEY}, {"name": "Accept", "value": "json"}],
                        "postData": {"text": json.dumps({"records": [{"Author": "a@b.co", "password": "p"}]})},
                    },
                    "note": f"sent {KEY}",
                    "password": {"nested": "gone"},
                }
            ]
        }
    }
    out = redactor.data(har)
    text = json.dumps(out)
    assert KEY not in text
    assert "a@b.co" not in text
    assert "gone" not in text
    headers = out["log"]["entries"][0]["request"]["headers"]
    assert headers == [{"name": "AccessKey", "value": MASK}, {"name": "Accept", "value": "json"}]


def test_python_repr_of_headers_is_masked() -> None:
    assert "abc" not in Redactor().text("{'accesskey': 'abc', 'x': 1}")


def test_emails_can_be_kept() -> None:
    assert Redactor(emails=False).text("a@b.co") == "a@b.co"


def test_with_secrets_adds_literals() -> None:
    redactor = Redactor().with_secrets(None, "", KEY)
    assert KEY not in redactor.text(KEY)


@given(prefix=st.text(max_size=20), suffix=st.text(max_size=20))
def test_key_never_survives_any_surrounding_text(prefix: str, suffix: str) -> None:
    redactor = Redactor(secrets=(KEY,))
    out = redactor.text(prefix + KEY + suffix)
    assert KEY not in out
    assert redactor.text(out) == out  # idempotent
