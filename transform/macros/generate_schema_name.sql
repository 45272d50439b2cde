{#-
    Models without a schema of their own go to the profile's schema
    (`analytics`); a folder's `+schema` names its schema exactly
    (`staging`, not `analytics_staging`).
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
