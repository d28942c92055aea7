"""The object-store layout (the same as core's ``io.meshfl.core.keys.ObjectKeys``)::

    models/{model}/global/{n}.safetensors                  global model n, the base of round n
    models/{model}/rounds/{r}/updates/{domain}.safetensors a domain's update in round r (its only writable slot)
    domains/{domain}/…                                     what a domain owns: its data products
"""


def global_model(model, version):
    return "models/%s/global/%d.safetensors" % (model, version)


def update(model, round_number, domain):
    return "models/%s/rounds/%d/updates/%s.safetensors" % (model, round_number, domain)


def parse_s3_location(location):
    """``s3://bucket/key`` (a data product's location) -> (bucket, key)."""
    if not location.startswith("s3://") or "/" not in location[5:]:
        raise ValueError("not an s3://bucket/key location: %r" % location)
    bucket, key = location[5:].split("/", 1)
    if not bucket or not key:
        raise ValueError("not an s3://bucket/key location: %r" % location)
    return bucket, key
