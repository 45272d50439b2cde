{#-
    Every field in the rules seed is a lead field that the rule model knows
    (see the `lead_fields` macro): a misspelt field would never be checked.
-#}

with

rules as (
    select * from {{ ref('lead_field_rules') }}
),

unknown_fields as (
    select
        rules.field,
        rules.rule
    from rules
    where rules.field not in (
        {%- for lead_field in lead_fields() %}
            '{{ lead_field.field }}'{{ ',' if not loop.last }}
        {%- endfor %}
    )
)

select * from unknown_fields
