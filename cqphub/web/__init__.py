"""The site shell: base templates, navigation, home, static assets, accessibility helpers."""
