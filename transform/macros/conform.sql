{#-
    How the clean `leads` model conforms a value to the rules it breaks,
    given the per-lead summary of `int_lead_rule_violations` (aliased
    `broken`, one row per lead; no row when nothing is broken):

    - `max_length`: cut to the limit, less any spaces the cut leaves at
      the end;
    - `control_characters`: those characters removed;
    - any other rule (a malformed email, a phone without digits, a latitude
      out of range): the value is null.
-#}

{#- The per-lead columns `conform_value` reads, for one field. -#}
{% macro summarize_broken_rules(lead_field) -%}
    {%- set field = "field = '" ~ lead_field.field ~ "'" -%}
    min(limit_value) filter (
        where {{ field }} and rule = 'max_length'
    ) as {{ lead_field.column }}_max_length,
    coalesce(bool_or(
        {{ field }} and rule = 'control_characters'
    ), false) as has_{{ lead_field.column }}_control_characters,
    coalesce(bool_or(
        {{ field }}
        and rule not in ('max_length', 'control_characters')
    ), false) as is_{{ lead_field.column }}_invalid
{%- endmacro %}


{% macro conform_value(lead_field, value) -%}
    {%- set column = lead_field.column -%}
    {%- if lead_field.kind == 'text' -%}
        {%- set stripped -%}
            case
                when broken.has_{{ column }}_control_characters
                    then {{ strip_control_characters(value) }}
                else {{ value }}
            end
        {%- endset -%}
        case
            when broken.is_{{ column }}_invalid then null
            when broken.{{ column }}_max_length is not null
                then rtrim(left({{ stripped }}, broken.{{ column }}_max_length))
            else {{ stripped }}
        end
    {%- else -%}
        case when broken.is_{{ column }}_invalid then null else {{ value }} end
    {%- endif -%}
{%- endmacro %}


{#- A fingerprint of the rules seed and of the vars that shape the rows of
    `lead_issues` (the link root, the length a value is cut to): when any of
    them changes, every lead is checked again. -#}
{% macro rules_checksum(rules) -%}
    md5(concat_ws(
        '|',
        string_agg(
            concat_ws(':', {{ rules }}.field, {{ rules }}.rule,
                {{ rules }}.limit_value),
            ',' order by {{ rules }}.field, {{ rules }}.rule
        ),
        '{{ var('salesrabbit_app_url') | string | replace("'", "''") }}',
        '{{ var('issue_value_max_characters') | string | replace("'", "''") }}'
    ))
{%- endmacro %}


{#-
    Post-hook of `lead_issues`: remove the rows of leads that no longer have
    problems (fixed in SalesRabbit, or deleted), or whose rows are older
    than the lead's last check.
-#}
{% macro delete_resolved_lead_issues() %}
    delete from {{ this }} as reported
    where not exists (
        select 1
        from {{ ref('leads') }} as leads
        where
            leads.lead_id = reported.lead_id
            and leads.checked_at = reported.checked_at
            and leads.has_issues
            and not leads.is_deleted
    )
{% endmacro %}
