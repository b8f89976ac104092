"""Branches, committees, certifiers, centres, habilitations, accounts, memberships, permissions."""
