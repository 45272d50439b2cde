{#-
    Rows whose `column_name` is not an address like `name@domain.tld`
    (see the `is_valid_email` macro); nulls pass. With `rules_field`, the
    check runs only while `lead_field_rules` has that field's
    `email_format` row.
-#}
{% test valid_email(model, column_name, rules_field=none) %}
    {{ config(severity=data_problem_severity()) }}

with

invalid as (
    select checked.*
    from {{ model }} as checked
    where
        checked.{{ column_name }} is not null
        and not {{ is_valid_email('checked.' ~ column_name) }}
{%- if rules_field is not none %}
            and exists (
                select 1
                from {{ ref('lead_field_rules') }} as rules
                where
                    rules.field = '{{ rules_field }}'
                    and rules.rule = 'email_format'
            )
{%- endif %}
)

select * from invalid
{% endtest %}
