"""Relations between people: introductions, relay messages, assisted use, mobility wishes."""

from flask import Blueprint

bp = Blueprint("relations", __name__, template_folder="templates")
