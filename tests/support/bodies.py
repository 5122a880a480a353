"""Request bodies the API must refuse, and the message it answers them with."""

# Bytes that are not UTF-8: API Gateway hands such a JSON body to Lambda base64-encoded.
NOT_UTF8 = b"\x11\xff"
INVALID_JSON = "Isi permintaan bukan JSON yang valid."
