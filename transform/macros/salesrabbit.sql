{#- Helpers that know SalesRabbit: links into the web app, lead fields. -#}

{% macro salesrabbit_lead_url(lead_id) -%}
    {%- set root = var('salesrabbit_app_url') | string -%}
    '{{ root.rstrip('/') | replace("'", "''") }}/leads/' || {{ lead_id }}
{%- endmacro %}


{#-
    The rows of a `values` list, (field, value as text), for the text and
    number fields of the lead in `relation`: the values the rules check.
-#}
{% macro lead_field_value_rows(relation) -%}
    {%- set rows = [] -%}
    {%- for f in lead_fields() if f.kind != 'other' -%}
        {%- do rows.append(
            "('" ~ f.field ~ "', " ~ relation ~ "." ~ f.column ~ "::text)"
        ) -%}
    {%- endfor -%}
    {{ rows | join(',\n        ') }}
{%- endmacro %}
