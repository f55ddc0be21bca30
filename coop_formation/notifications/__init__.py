"""Notifications: in-platform list and e-mail, honouring members' choices and the right
to disconnect."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, template_folder="templates")
