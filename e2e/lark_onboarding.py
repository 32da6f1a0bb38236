"""Onboarding QR codes through the official Lark SDK (lark-oapi on PyPI), unmodified,
pointed at roomd with a custom domain: the SDK fetches its tenant token itself, then
calls the CoreHR endpoints through its generic request and parses roomd's errors.

    python3 e2e/lark_onboarding.py BASE_URL APPKEY APPSECRET DEPARTMENT_ID

Prints one line per check; exits non-zero on the first failure.
"""
import json
import sys

import lark_oapi as lark

base, app_id, app_secret, dept = sys.argv[1:5]
client = lark.Client.builder().app_id(app_id).app_secret(app_secret).domain(base).build()


def call(uri, body):
    request = (
        lark.BaseRequest.builder()
        .http_method(lark.HttpMethod.POST)
        .uri(uri)
        .token_types({lark.AccessTokenType.TENANT})
        .body(body)
        .build()
    )
    response = client.request(request)
    return response, json.loads(response.raw.content)


response, body = call("/open-apis/corehr/v2/onboarding_qr_codes/dimension", {})
assert response.success(), body
names = [d["api_name"] for d in body["data"]["dimension_list"]]
assert names == ["department"], names
print("dimension list:", names)

create = {"dimension_value_list": [{"dimension": {"api_name": "department"}, "value": {"select_value": dept}}]}
response, body = call("/open-apis/corehr/v2/onboarding_qr_codes", create)
assert response.success() and response.code == 0, body
code = body["data"]["qr_code"]
assert code["active"] is True and isinstance(code["created_at"], int), code
assert code["url"].startswith(base + "/onboarding/scan?signKey="), code["url"]
assert code["dimension_value_list"][0]["dimension"]["display_name"]["en_us"] == "Department", code
print("created:", code["id"], code["url"])

bad = {"dimension_value_list": [{"dimension": {"api_name": "department"}, "value": {"bool_value": True}}]}
response, body = call("/open-apis/corehr/v2/onboarding_qr_codes", bad)
assert not response.success() and response.code == 1161001, body
assert response.raw.status_code == 400, response.raw.status_code
# The generic BaseResponse keeps `error` as the parsed JSON object.
violations = response.error["field_violations"]
assert violations and violations[0]["field"] == "dimension_value_list[0].value.select_value", body
print("refused:", response.code, response.msg, violations[0]["field"], "-", violations[0]["description"])
print("lark-oapi: ok")
