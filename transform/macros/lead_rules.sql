{#-
    Every rule of the `rules` relation (shaped like `lead_field_rules`) that
    a lead of `leads` (shaped like `stg_salesrabbit__leads`) breaks: one row
    per lead, field and rule, with lead_id, field, rule, value (whole, as
    text), limit_value and detail.

    A macro, not a model, so that each incremental model runs the rules on
    the leads it processes and nothing else; `int_lead_rule_violations`
    runs it on every lead.
-#}
{% macro lead_rule_violations(leads, rules) %}
    select
        checked.lead_id,
        checked.field,
        rules.rule,
        checked.value,
        rules.limit_value,
        case rules.rule
            when 'max_length'
                then
                    {{ text_length('checked.value') }} || ' characters, limit '
                    || rules.limit_value
            when 'email_format' then 'not an address like name@domain.tld'
            when 'phone_digits' then 'no digits'
            when 'coordinate_range'
                then
                    'outside -' || rules.limit_value || '..'
                    || rules.limit_value
            when 'control_characters'
                then 'control character, or U+FFFD where a NUL byte was'
            when 'data_type'
                then 'wrong type as sent; the column is left null'
        end as detail
    from (
        {{ lead_checked_values(leads) }}
    ) as checked
    inner join {{ rules }} as rules
        on
            checked.field = rules.field
            and checked.is_wrong_type = (rules.rule = 'data_type')
    where
        case rules.rule
            when 'max_length'
                then {{ text_length('checked.value') }} > rules.limit_value
            when 'email_format'
                then not {{ is_valid_email('checked.value') }}
            when 'phone_digits'
                then not {{ has_digit('checked.value') }}
            when 'coordinate_range'
                then abs(checked.value::numeric) > rules.limit_value
            when 'control_characters'
                then {{ has_control_characters('checked.value') }}
            when 'data_type' then true
        end
{% endmacro %}


{#-
    The values the rules look at, one row per lead and field: the text and
    number fields as text, and the values SalesRabbit sent with the wrong
    type (kept by the tap in `invalid_values`), flagged `is_wrong_type`.
-#}
{% macro lead_checked_values(leads) %}
    select
        leads.lead_id,
        sent.field,
        sent.value,
        sent.is_wrong_type
    from {{ leads }} as leads
    cross join lateral (
        select
            fields.field,
            fields.value,
            false as is_wrong_type
        from (
            values
            {{ lead_field_value_rows('leads') }}
        ) as fields (field, value)
        where fields.value is not null
        union all
        select
            wrong.key as field,
            wrong.value #>> '{}' as value,
            true as is_wrong_type
        from jsonb_each(
            case
                when jsonb_typeof(leads.invalid_values) = 'object'
                    then leads.invalid_values
            end
        ) as wrong
    ) as sent
{% endmacro %}
