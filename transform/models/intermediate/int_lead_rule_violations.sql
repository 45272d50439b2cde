{#-
    Every rule of `lead_field_rules` that a lead breaks, for every lead: the
    rule logic (the `lead_rule_violations` macro) in a relation of its own,
    to query and to unit test. The marts run the same macro on the leads
    they process.
-#}

with

leads as (
    select * from {{ ref('stg_salesrabbit__leads') }}
),

rules as (
    select * from {{ ref('lead_field_rules') }}
),

violations as (
    {{ lead_rule_violations('leads', 'rules') }}
)

select * from violations
