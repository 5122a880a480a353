"""The HTTP edge the API functions share: the one error map, validation messages, the
body guard, OpenAPI and the Swagger page, and the caller's identity from JWT claims.

Functions build their resolver with ``resolver.json_api`` and their entry point with
``resolver.lambda_handler_for``; rules stay in the domain and services below.
"""
