"""People: clusters, companies, members, roles, authentication, charter and privacy."""
