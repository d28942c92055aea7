"""``meshfl-domain`` (``python3 -m meshfl_domain``): a domain's steps from a shell.

Exit codes: 0 done; 1 refused (a file that does not verify, a checksum that differs, a rejected update);
2 usage; 3 the registry or the object store failed or refused the call.
"""

import argparse
import json
import os
import sys

from . import safetensors_file as st
from . import signing
from . import update as updates
from .registry import Registry, RegistryError

REFUSED = 1
USAGE = 2
UNAVAILABLE = 3


def main(argv=None):
    try:
        _apply_credentials(argv)
    except (OSError, ValueError) as e:
        print("error: --credentials: %s" % e, file=sys.stderr)
        return USAGE
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return USAGE
    try:
        return args.run(args) or 0
    except (updates.UpdateRefused, st.SafetensorsFormatError) as e:
        print("refused: %s" % e, file=sys.stderr)
        return REFUSED
    except RegistryError as e:
        print(str(e), file=sys.stderr)
        return UNAVAILABLE
    except ValueError as e:
        print("error: %s" % e, file=sys.stderr)
        return REFUSED if e.__class__.__name__ == "ChecksumMismatch" else USAGE
    except Exception as e:  # boto3's errors, unreachable endpoints: say what failed, not a traceback
        if e.__class__.__module__.startswith(("botocore", "boto3")):
            print("object store: %s" % e, file=sys.stderr)
            return UNAVAILABLE
        raise


# ---------------------------------------------------------------------------------------------------------- commands


def _keygen(args):
    key = signing.generate_key()
    _write_private(args.out, signing.private_key_pem(key))
    print(signing.public_key_base64(key))


def _public_key(args):
    print(signing.public_key_base64(_private_key(args)))


def _inspect(args):
    file = st.read(args.file)
    out = {"metadata": file.metadata, "dataSha256": file.data_sha256,
           "tensors": [{"name": t.name, "dtype": t.dtype, "shape": list(t.shape), "dataOffsets": [t.begin, t.end]}
                       for t in file.layout]}
    print(json.dumps(out, indent=2, ensure_ascii=False))


def _payload(args):
    with open(args.file, "rb") as f:
        metadata, layout, _ = st.read_header(f.read())
    print(signing.signing_payload(metadata, layout).hex())


def _sign(args):
    metadata = updates.sign_file(args.file, _private_key(args))
    if args.verbose:
        print(json.dumps(metadata, indent=2, ensure_ascii=False))


def _verify(args):
    with open(args.file, "rb") as f:
        raw = f.read()
    public = signing.load_public_key(_read_text(args.public_key_file) if args.public_key_file else args.public_key)
    global_model = st.read(args.global_model) if args.global_model else None
    base = args.base_model_sha256 or (global_model.data_sha256 if global_model else None)
    metadata = updates.check_update(raw, public, args.model, args.domain, args.round, base, args.max_examples,
                                    global_model)
    print("verified: %s (%s)" % (args.file, updates.update_key(metadata)))


def _write_update(args):
    weights = st.read(args.weights)
    dtypes = dict(weights.dtypes)
    base = args.base_model_sha256
    if args.global_model:
        global_model = st.read(args.global_model)
        base = base or global_model.data_sha256
        dtypes = dict(global_model.dtypes)  # the aggregator wants the global model's dtypes
    if base is None:
        raise ValueError("give --base-model-sha256 or --global (the global model the update was trained from)")
    metrics = json.loads(args.metrics)
    metadata = updates.UpdateMetadata(args.model, args.domain, args.round, base, args.num_examples, metrics)
    stored = updates.write_update(args.out, weights.tensors, metadata, _private_key(args), dtypes)
    print(updates.update_key(stored))


def _round(args):
    current = _registry(args).current_round(args.model)
    print(json.dumps(current.raw, indent=2, ensure_ascii=False))


def _pull_global(args):
    from .domain import DomainKit

    kit = DomainKit(args.domain, _registry(args), _store(args), None)
    current = kit.current_round(args.model)
    base = kit.download_global(current, args.expect_sha256, args.require_verified)
    with open(args.out, "wb") as f:
        f.write(st.encode(base.file.tensors, base.file.metadata, base.file.dtypes))
    if st.data_sha256(args.out) != base.sha256:
        raise ValueError("%s was not written back bit for bit" % args.out)
    print(json.dumps({"round": current.number, "roundId": current.round_id, "state": current.state,
                      "key": base.key, "sha256": base.sha256, "verified": base.verified,
                      "recorded": base.expected}, indent=2))
    if not base.verified:
        print("warning: no checksum recorded for %s is visible to this token; not verified" % base.key,
              file=sys.stderr)


def _upload(args):
    with open(args.file, "rb") as f:
        raw = f.read()
    public = signing.load_public_key(_read_text(args.public_key_file)) if args.public_key_file else (
        _private_key(args).public_key() if args.key else None)
    metadata = updates.check_update(raw, public, domain=args.domain)
    key = updates.update_key(metadata)
    etag = _store(args).put(key, raw)
    print(json.dumps({"key": key, "etag": etag}))


def _verdict(args):
    registry = _registry(args)
    round_id = args.round_id
    if round_id is None:
        round_id = registry.current_round(args.model).round_id
    found = registry.wait_for_verdict(round_id, args.domain, timeout=args.wait, interval=2.0) if args.wait \
        else registry.verdict(round_id, args.domain)
    if found is None:
        print(json.dumps({"roundId": round_id, "domain": args.domain, "status": None}))
        return REFUSED
    print(json.dumps(found, indent=2, ensure_ascii=False))
    return 0 if found.get("status") == "ACCEPTED" else REFUSED


# ---------------------------------------------------------------------------------------------------------- plumbing


def _apply_credentials(argv):
    """``--credentials FILE`` (the JSON of ``./meshfl domain-credentials``) sets the variables the commands read; it
    is looked at before the parser is built because the parser takes its defaults from those variables."""
    from .credentials import Credentials

    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--credentials")
    known, _ = pre.parse_known_args(argv)
    if known.credentials:
        credentials = Credentials.load(known.credentials)
        if credentials.expired():
            raise ValueError("the registry token in %s expired at %s; run ./meshfl domain-credentials %s again"
                             % (known.credentials, credentials.registry_token_expires_at, credentials.domain))
        os.environ.update(credentials.environment())


def _parser():
    parser = argparse.ArgumentParser(prog="meshfl-domain", description="A MeshFL domain's steps from a shell.")
    parser.add_argument("--credentials", metavar="FILE",
                        help="the JSON of ./meshfl domain-credentials DOMAIN: sets the domain, model, registry, token,"
                             " S3 endpoint, region, bucket, S3 keys and signing key file (before COMMAND)")
    commands = parser.add_subparsers(metavar="COMMAND")

    def command(name, run, help_text):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=run)
        return sub

    sub = command("keygen", _keygen, "create an Ed25519 signing key (PKCS#8 PEM); print the public key for the registry")
    sub.add_argument("--out", required=True, help="where to write the private key (mode 600)")

    sub = command("public-key", _public_key, "print a signing key's public half as the registry holds it")
    _key_options(sub, required=True)

    sub = command("inspect", _inspect, "tensors, dtypes, shapes, metadata and data SHA-256 of a safetensors file")
    sub.add_argument("file")

    sub = command("payload", _payload, "print the meshfl-update-v2 signing payload of a file, in hex")
    sub.add_argument("file")

    sub = command("sign", _sign, "sign an update in place (adds signature_scheme, sha256, signature)")
    sub.add_argument("file")
    _key_options(sub, required=True)
    sub.add_argument("-v", "--verbose", action="store_true", help="print the metadata as stored")

    sub = command("verify", _verify, "check an update as the aggregator does (signature, fields, hash)")
    sub.add_argument("file")
    group = sub.add_mutually_exclusive_group(required=True)
    group.add_argument("--public-key", help="Base64 X.509 public key (the registry's publicKey)")
    group.add_argument("--public-key-file", help="a file holding it (Base64 or PEM)")
    sub.add_argument("--model")
    sub.add_argument("--domain")
    sub.add_argument("--round", type=int)
    sub.add_argument("--base-model-sha256")
    sub.add_argument("--max-examples", type=int)
    sub.add_argument("--global", dest="global_model", help="the global model: tensors and base hash must match it")

    sub = command("write-update", _write_update, "write a signed update from a weights file")
    sub.add_argument("--weights", required=True, help="safetensors file with the trained weights (not a delta)")
    sub.add_argument("--out", required=True)
    _model_option(sub)
    sub.add_argument("--domain", default=os.environ.get("MESHFL_DOMAIN"), required="MESHFL_DOMAIN" not in os.environ)
    sub.add_argument("--round", type=int, required=True, help="the round trained in (base_round)")
    sub.add_argument("--global", dest="global_model", help="the global model trained from (its hash and dtypes)")
    sub.add_argument("--base-model-sha256", help="instead of --global: the global model's data SHA-256")
    sub.add_argument("--num-examples", type=int, required=True, help="training rows the update was trained on")
    sub.add_argument("--metrics", default="{}", help="JSON object of hold-out metrics")
    _key_options(sub, required=True)

    sub = command("round", _round, "the model's current round and this domain's enrolment")
    _registry_options(sub)
    _model_option(sub)

    sub = command("pull-global", _pull_global, "download the round's global model and verify its SHA-256")
    _registry_options(sub)
    _store_options(sub)
    _model_option(sub)
    sub.add_argument("--out", required=True)
    sub.add_argument("--expect-sha256", help="the checksum to verify against (else the registry's)")
    sub.add_argument("--require-verified", action="store_true", help="fail if no recorded checksum is visible")

    sub = command("upload", _upload, "check an update locally and PUT it to its slot")
    sub.add_argument("file")
    _store_options(sub)
    _key_options(sub, required=False)
    sub.add_argument("--public-key-file")

    sub = command("verdict", _verdict, "the registry's verdict on this domain's update (exit 0 only if ACCEPTED)")
    _registry_options(sub)
    _model_option(sub)
    sub.add_argument("--round-id", type=int, help="default: the current round's")
    sub.add_argument("--wait", type=float, default=0, help="poll up to this many seconds")
    return parser


def _model_option(sub):
    env = os.environ.get("MESHFL_MODEL")
    sub.add_argument("--model", default=env, required=env is None, help="the model (MESHFL_MODEL)")


def _key_options(sub, required):
    env = os.environ.get("MESHFL_SIGNING_KEY_FILE")
    sub.add_argument("--key", default=env, required=required and env is None,
                     help="the domain's Ed25519 private key: PKCS#8 PEM or Base64 file (MESHFL_SIGNING_KEY_FILE)")


def _registry_options(sub):
    sub.add_argument("--registry", default=os.environ.get("MESHFL_REGISTRY_URL"), help="(MESHFL_REGISTRY_URL)")
    sub.add_argument("--token", default=os.environ.get("MESHFL_REGISTRY_TOKEN"), help="(MESHFL_REGISTRY_TOKEN)")
    sub.add_argument("--token-file", help="a file holding the token")
    sub.add_argument("--domain", default=os.environ.get("MESHFL_DOMAIN"), help="(MESHFL_DOMAIN)")


def _store_options(sub):
    if not any(a.dest == "domain" for a in sub._actions):
        sub.add_argument("--domain", default=os.environ.get("MESHFL_DOMAIN"), help="(MESHFL_DOMAIN)")
    sub.add_argument("--bucket", default=os.environ.get("MESHFL_BUCKET"), help="(MESHFL_BUCKET)")
    sub.add_argument("--endpoint", default=os.environ.get("MESHFL_S3_ENDPOINT"),
                     help="S3-compatible endpoint, path-style (MESHFL_S3_ENDPOINT); AWS if unset")
    sub.add_argument("--region", default=os.environ.get("AWS_REGION"))


def _registry(args):
    token = _read_text(args.token_file) if args.token_file else args.token
    return Registry(args.registry, token)


def _store(args):
    from .objectstore import ObjectStore, s3_client

    return ObjectStore(s3_client(args.endpoint, args.region), args.bucket)


def _private_key(args):
    return signing.load_private_key(_read_text(args.key))


def _read_text(path):
    with open(path, "r", encoding="ascii") as f:
        return f.read().strip()


def _write_private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(text)


if __name__ == "__main__":
    sys.exit(main())
