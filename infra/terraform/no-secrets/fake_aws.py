"""A stand-in for the two AWS APIs a plan of the examples may call, so that `terraform plan` runs here without an
account: STS GetCallerIdentity (the aws_caller_identity data source) answers a fixed account, and every Secrets
Manager call (GetSecretValue, GetRandomPassword: what a data source reading a secret would do) answers the sentinel,
so a secret value that a module reads into its configuration shows up in the plan."""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

SENTINEL = sys.argv[1]


class FakeAws(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        target = self.headers.get("X-Amz-Target", "")
        if target.startswith("secretsmanager."):
            payload = {"ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x", "Name": "x",
                       "VersionId": "v1", "VersionStages": ["AWSCURRENT"], "CreatedDate": 1700000000,
                       "SecretString": SENTINEL, "RandomPassword": SENTINEL}
            self.reply(200, "application/x-amz-json-1.1", json.dumps(payload))
        elif b"GetCallerIdentity" in body:
            self.reply(200, "text/xml", """<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/plan</Arn><UserId>AIDPLAN</UserId>
<Account>123456789012</Account></GetCallerIdentityResult>
<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>""")
        else:
            self.reply(400, "text/plain", "not faked: " + target)

    def reply(self, status, content_type, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), FakeAws)
print(server.server_address[1], flush=True)
server.serve_forever()
