"""Webhook bodies as their receivers document them: Tracelot's signed JSON, the WeCom and
DingTalk group robots' markdown messages and DingTalk's signed URL. The expected signatures
were computed apart, with `openssl dgst -sha256 -hmac`."""

import json

from tracelot.alerts.payloads import (
    WECOM_MAX_BYTES,
    Message,
    dingtalk_body,
    dingtalk_signed_url,
    robot_accepted,
    tracelot_signature,
    wecom_body,
)

MESSAGE = Message(
    title="检验不合格: PORK-261201-0001",
    lines=["批次: PORK-261201-0001", "工序: 绞肉 · 产线 L2 · 早班", "责任人: 梁刚"],
    link="https://tracelot.example/lots/PORK-261201-0001/",
    link_text="打开批次",
)


def test_the_signature_is_an_hmac_sha256_of_the_raw_body():
    assert tracelot_signature("whsec", b'{"a":1}') == (
        "sha256=19373ef0e8c66f206e49d251e4402291615bbce6ef00922e94a47a213fb76ee1"
    )


def test_a_wecom_message_is_markdown_content_with_the_link():
    body = json.loads(wecom_body(MESSAGE))
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert content.startswith("**检验不合格: PORK-261201-0001**\n")
    assert "> 责任人: 梁刚" in content
    assert content.endswith("[打开批次](https://tracelot.example/lots/PORK-261201-0001/)")


def test_a_long_wecom_message_is_cut_to_what_wecom_accepts_keeping_the_link():
    many = Message(MESSAGE.title, [f"批次 LOT-{n:05d}" for n in range(2000)], MESSAGE.link, "打开")
    content = json.loads(wecom_body(many))["markdown"]["content"]
    assert len(content.encode()) <= WECOM_MAX_BYTES
    assert content.endswith(f"[打开]({MESSAGE.link})")


def test_a_dingtalk_message_is_markdown_with_a_title_and_text():
    body = json.loads(dingtalk_body(MESSAGE))
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == MESSAGE.title
    assert MESSAGE.link in body["markdown"]["text"]


def test_dingtalk_signs_the_url_with_timestamp_and_secret():
    url = "https://oapi.dingtalk.com/robot/send?access_token=abc"
    secret = "SEC10d6e79b42bd94be0d0d603843651aa2"
    signed = dingtalk_signed_url(url, secret, 1552920546388)
    # base64 "/85KMwrB5mbpMIq0kSs+cVHoblFx+0BfJuPurjZBowk=", URL-encoded
    assert signed == (
        f"{url}&timestamp=1552920546388&sign=%2F85KMwrB5mbpMIq0kSs%2BcVHoblFx%2B0BfJuPurjZBowk%3D"
    )
    assert dingtalk_signed_url(url, "", 1) == url


def test_a_robot_took_the_message_only_with_errcode_zero():
    assert robot_accepted(200, b'{"errcode":0,"errmsg":"ok"}')
    assert not robot_accepted(200, b'{"errcode":93000,"errmsg":"invalid webhook url"}')
    assert not robot_accepted(200, b"<html>")
    assert not robot_accepted(502, b'{"errcode":0}')
