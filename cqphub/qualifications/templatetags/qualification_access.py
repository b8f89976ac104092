"""`{{ user|sees_internals:qualification }}`: may this user see drafts, legal life, the registry
link and the exchanges of this qualification (review L5)."""

from django import template

register = template.Library()


@register.filter
def sees_internals(user, qualification) -> bool:
    return bool(user and qualification and user.has_perm("qualifications.view_lifecycle", qualification))


@register.filter
def sees_habilitations(user, qualification) -> bool:
    return bool(user and qualification and user.has_perm("qualifications.view_habilitations", qualification))


@register.filter
def css_string(value) -> str:
    """`value` escaped for a double-quoted CSS string (review I1: `escapejs` wrote "du0027accueil").

    Every character that could end the string, the style element or a comment is written as a CSS
    hexadecimal escape followed by a space (`'` becomes `\\27 `), which CSS renders as the character."""
    out = []
    for char in str(value):
        if char.isalnum() or char in " -_.,;:!?()/+=%«»—–’":
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return "".join(out)
