{#-
    The checks behind the rules, as SQL expressions, so that the rule model,
    the clean model and the generic tests all judge a value the same way.
-#}

{#- Characters, not bytes: `ñ` counts 1 in a UTF-8 database. -#}
{% macro text_length(expression) -%}
    char_length({{ expression }})
{%- endmacro %}


{#-
    True for `local@domain.tld`: no spaces, one `@`, no empty, leading or
    trailing dot on either side, and a top-level domain of two or more
    letters (or an `xn--` name). Case does not matter; `+` tags pass.
-#}
{% macro is_valid_email(expression) -%}
    {%- set atom = '[^\\s@.<>(),;:"\\[\\]\\\\]+' -%}
    {%- set local_part = atom ~ '([.]' ~ atom ~ ')*' -%}
    {%- set domain = '(' ~ atom ~ '[.])+([a-z]{2,}|xn--[a-z0-9-]+)' -%}
    ({{ expression }} ~* '^{{ local_part }}@{{ domain }}$')
{%- endmacro %}


{#- A phone number holds at least one digit. -#}
{% macro has_digit(expression) -%}
    ({{ expression }} ~ '[0-9]')
{%- endmacro %}


{#-
    C0 and C1 control characters other than tab and line breaks, and U+FFFD,
    which target-postgres writes where the source held a NUL byte.
-#}
{% macro control_characters_pattern() -%}
    '[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]'
{%- endmacro %}


{% macro has_control_characters(expression) -%}
    ({{ expression }} ~ {{ control_characters_pattern() }})
{%- endmacro %}


{% macro strip_control_characters(expression) -%}
    regexp_replace(
        {{ expression }}, {{ control_characters_pattern() }}, '', 'g'
    )
{%- endmacro %}


{#-
    Surrounding whitespace removed, including the no-break space, the
    zero-width space and the byte-order mark that pasted text brings;
    a blank value is null.
-#}
{% macro clean_text(expression) -%}
    nullif(btrim({{ expression }}, e' \t\r\n\v\f\u00a0\u200b\ufeff'), '')
{%- endmacro %}


{#- A long value cut to `length` characters, the last one an ellipsis. -#}
{% macro shorten_text(expression, length) -%}
    case
        when {{ text_length(expression) }} > {{ length }}
            then left({{ expression }}, {{ length }} - 1) || '…'
        else {{ expression }}
    end
{%- endmacro %}


{#- Severity of a data-quality test: see the `strict_validation` var. -#}
{% macro data_problem_severity() -%}
    {{ return('error' if var('strict_validation', false) else 'warn') }}
{%- endmacro %}
