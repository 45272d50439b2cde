{#-
    Every row of the rules seed is one the rule model can apply: its field is
    a lead field it knows (see the `lead_fields` macro) and its rule fits the
    field's kind. A misspelt field, or a text rule on a date, would otherwise
    never be checked; a range rule on a text field would fail every build.
-#}

with

rules as (
    select * from {{ ref('lead_field_rules') }}
),

known_fields as (
    select
        known.field,
        known.kind
    from (
        values
        {%- for f in lead_fields() %}
            ('{{ f.field }}', '{{ f.kind }}'){{ ',' if not loop.last }}
        {%- endfor %}
    ) as known (field, kind)
),

unusable_rules as (
    select
        rules.field,
        rules.rule,
        coalesce(known_fields.kind, 'unknown field') as field_kind
    from rules
    left join known_fields
        on rules.field = known_fields.field
    where
        known_fields.field is null
        or case rules.rule
            when 'data_type' then false
            when 'coordinate_range' then known_fields.kind != 'number'
            else known_fields.kind != 'text'
        end
)

select * from unusable_rules
