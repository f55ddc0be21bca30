"""Notifications: in-platform list and e-mail, honouring members' choices and the right
to disconnect."""
