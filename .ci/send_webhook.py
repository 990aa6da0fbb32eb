"""Sends signed webhook deliveries to the example receiver and checks its replies.

Usage: send_webhook.py URL SECRET_HEX SAMPLE.json...

The signature is computed here with Python's standard library, independently of the SDK:
HMAC-SHA256 keyed with the hex-decoded secret over "<t>.<raw body>", sent as
`x-dixa-signature: t=<unix ms>,v1=<hex>` (lower case, as a proxy may deliver it). Every sample
must be accepted with its own event_fqn; a tampered, a stale and an unsigned delivery must be
refused, each naming the step that failed.
"""

import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.request


def post(url, body, signature=None):
    headers = {"content-type": "application/json"}
    if signature is not None:
        headers["x-dixa-signature"] = signature
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def sign(secret_hex, t_ms, body):
    mac = hmac.new(bytes.fromhex(secret_hex), b"%d." % t_ms + body, hashlib.sha256)
    return "t=%d,v1=%s" % (t_ms, mac.hexdigest())


def expect(what, got, status, reply_start):
    if got[0] != status or not got[1].startswith(reply_start):
        sys.exit("%s: expected %d %r..., got %d %r" % (what, status, reply_start, got[0], got[1]))


def main():
    url, secret, samples = sys.argv[1], sys.argv[2], sys.argv[3:]
    if not samples:
        sys.exit("no samples given")
    now = int(time.time() * 1000)
    for path in samples:
        with open(path, "rb") as f:
            body = f.read()
        event = json.loads(body)
        expect(path, post(url, body, sign(secret, now, body)), 200,
               "%s %s" % (event["event_fqn"], event["event_id"]))
    tampered = body.replace(b"}", b" }", 1)
    expect("tampered", post(url, tampered, sign(secret, now, body)), 401, "signature")
    expect("stale", post(url, body, sign(secret, now - 10 * 60 * 1000, body)), 401, "timestamp")
    expect("unsigned", post(url, body), 401, "header")
    print("receiver accepted %d signed samples and refused tampered, stale and unsigned ones"
          % len(samples))


main()
