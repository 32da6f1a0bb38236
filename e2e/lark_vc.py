"""Check-in board deployment codes and room configurations through the official Lark
SDK's typed VC API (lark-oapi, unmodified), pointed at roomd with a custom domain.

    python3 e2e/lark_vc.py BASE_URL APPKEY APPSECRET BUILDING_ID ROOM_ID

Prints one line per check; exits non-zero on the first failure.
"""
import sys

import lark_oapi as lark
from lark_oapi.api.vc.v1 import (
    QueryRoomConfigRequest,
    RoomConfig,
    RoomStatus,
    SetCheckboardAccessCodeRoomConfigRequest,
    SetCheckboardAccessCodeRoomConfigRequestBody,
    SetRoomAccessCodeRoomConfigRequest,
    SetRoomAccessCodeRoomConfigRequestBody,
    SetRoomConfigRequest,
    SetRoomConfigRequestBody,
)

base, app_id, app_secret, building, room = sys.argv[1:6]
client = lark.Client.builder().app_id(app_id).app_secret(app_secret).domain(base).build()
room_config = client.vc.v1.room_config

body = SetCheckboardAccessCodeRoomConfigRequestBody.builder().scope(5).building_id(building).floor_name("F2").valid_day(7).build()
response = room_config.set_checkboard_access_code(SetCheckboardAccessCodeRoomConfigRequest.builder().request_body(body).build())
assert response.success(), (response.code, response.msg)
code = response.data.access_code
assert len(code) == 9 and code.isalpha() and code.isupper(), code
print("checkboard access code:", code)

body = SetRoomAccessCodeRoomConfigRequestBody.builder().scope(6).room_id(room).valid_day(1).build()
response = room_config.set_room_access_code(SetRoomAccessCodeRoomConfigRequest.builder().request_body(body).build())
assert response.success() and len(response.data.access_code) == 9, (response.code, response.msg)
print("room access code:", response.data.access_code)

body = SetCheckboardAccessCodeRoomConfigRequestBody.builder().scope(5).building_id(building).valid_day(7).build()
response = room_config.set_checkboard_access_code(SetCheckboardAccessCodeRoomConfigRequest.builder().request_body(body).build())
assert not response.success() and response.code == 121003 and response.raw.status_code == 400, (response.code, response.msg)
body = SetCheckboardAccessCodeRoomConfigRequestBody.builder().scope(4).building_id("NOPE").valid_day(7).build()
response = room_config.set_checkboard_access_code(SetCheckboardAccessCodeRoomConfigRequest.builder().request_body(body).build())
assert response.code == 121004 and response.raw.status_code == 404, (response.code, response.msg)
print("refused:", 121003, 121004)

tenant = RoomConfig.builder().room_background("https://cdn.test/tenant.png").room_status(RoomStatus.builder().status(True).build()).build()
floor = RoomConfig.builder().display_background("https://cdn.test/floor.png").build()
for scope, extra, config in [(1, {}, tenant), (5, {"building_id": building, "floor_name": "F2"}, floor)]:
    builder = SetRoomConfigRequestBody.builder().scope(scope).room_config(config)
    for key, value in extra.items():
        getattr(builder, key)(value)
    response = room_config.set(SetRoomConfigRequest.builder().request_body(builder.build()).build())
    assert response.success(), (response.code, response.msg)

response = room_config.query(QueryRoomConfigRequest.builder().scope(6).room_id(room).build())
assert response.success(), (response.code, response.msg)
assert response.data.room_background == "https://cdn.test/tenant.png", vars(response.data)
assert response.data.display_background == "https://cdn.test/floor.png", vars(response.data)
assert response.data.room_status.status is True, vars(response.data.room_status)
print("room config at the room:", response.data.room_background, response.data.display_background)
print("lark-oapi vc: ok")
