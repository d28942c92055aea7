"""The federation's bucket through boto3: read global models (and the domain's data products), write the
domain's one update slot. S3-compatible endpoints (the local mesh's S3Proxy, MinIO) get path-style addressing."""


def s3_client(endpoint=None, region=None, access_key=None, secret_key=None, path_style=None):
    """A boto3 S3 client. Without keys, boto3's own chain (environment, profile, role) supplies them. Path-style
    addressing is on by default when an endpoint is given (S3-compatible servers), off for AWS itself."""
    import boto3
    from botocore.config import Config

    if path_style is None:
        path_style = endpoint is not None
    config = Config(s3={"addressing_style": "path" if path_style else "auto"},
                    retries={"max_attempts": 3, "mode": "standard"})
    return boto3.client("s3", endpoint_url=endpoint, region_name=region or "us-east-1",
                        aws_access_key_id=access_key, aws_secret_access_key=secret_key, config=config)


class ObjectStore:
    def __init__(self, client, bucket):
        if not bucket:
            raise ValueError("no bucket (set --bucket or MESHFL_BUCKET)")
        self.client = client
        self.bucket = bucket

    def get(self, key, bucket=None):
        response = self.client.get_object(Bucket=bucket or self.bucket, Key=key)
        return response["Body"].read()

    def put(self, key, data):
        """PUTs the bytes; returns the ETag without quotes."""
        response = self.client.put_object(Bucket=self.bucket, Key=key, Body=data,
                                          ContentType="application/octet-stream")
        return response["ETag"].strip('"')

    def exists(self, key):
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
            return True
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
