{#- Combinations of `columns` that occur on more than one row. -#}
{% test unique_combination(model, columns) %}

with

repeated as (
    select
        {{ columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
)

select * from repeated
{% endtest %}
