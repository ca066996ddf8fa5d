"""The floor to compare careers_app with: Flask doing next to nothing, same server, same client.

GET /hello returns a short text; POST /echo parses the JSON body and returns it, so the
POST scenario pays the same request and response JSON costs as the autosave scenario.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request

app = Flask(__name__)


@app.get("/hello")
def hello() -> str:
    return "hello"


@app.post("/echo")
def echo() -> Any:
    return request.get_json()  # a dict: Flask serialises it as JSON
