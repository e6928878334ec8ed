"""The acme command-line front end."""
