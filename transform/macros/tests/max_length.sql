{#-
    Rows whose value in `column_name` is longer than a limit, counted in
    characters. Give the limit as `limit`, or as `rules_field`: the
    SalesRabbit field whose `max_length` row in `lead_field_rules` holds it
    (no such row, no check).

        data_tests:
          - max_length:
              arguments: {limit: 10}
-#}
{% test max_length(model, column_name, limit=none, rules_field=none) %}
    {{ config(severity=data_problem_severity()) }}
{%- do check_max_length_arguments(model, column_name, limit, rules_field) %}

with

limits as (
    {% if limit is not none %}
        select {{ limit | int }} as limit_value
    {% else %}
        select rules.limit_value
        from {{ ref('lead_field_rules') }} as rules
        where
            rules.field = '{{ rules_field }}'
            and rules.rule = 'max_length'
    {% endif %}
),

too_long as (
    select
        checked.*,
        {{ text_length('checked.' ~ column_name) }} as checked_length,
        limits.limit_value as length_limit
    from {{ model }} as checked
    cross join limits
    where {{ text_length('checked.' ~ column_name) }} > limits.limit_value
)

select * from too_long
{% endtest %}


{#- Stops compilation when `max_length` has no limit to check against. -#}
{% macro check_max_length_arguments(model, column_name, limit, rules_field) %}
    {% if limit is none and rules_field is none %}
        {% do exceptions.raise_compiler_error(
            'max_length on ' ~ model ~ '.' ~ column_name
            ~ ' needs `limit` or `rules_field`'
        ) %}
    {% endif %}
{% endmacro %}
