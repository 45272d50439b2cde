{{
    config(
        materialized='incremental',
        unique_key='lead_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        indexes=[
            {'columns': ['lead_id'], 'unique': true},
            {'columns': ['synced_at']},
        ],
    )
}}

{%- set checked_fields = lead_fields()
    | rejectattr('kind', 'equalto', 'other') | list %}

with

staged_leads as (
    select * from {{ ref('stg_salesrabbit__leads') }}
),

rules as (
    select * from {{ ref('lead_field_rules') }}
),

rule_set as (
    select {{ rules_checksum('rules') }} as rules_checksum
    from rules
),

changed_leads as (
    -- Leads synced since the last build; every lead when the rules changed.
    -- Used twice below, so PostgreSQL computes it once, before the rules.
    select staged_leads.*
    from staged_leads
    {%- if is_incremental() %}
        where
            staged_leads.synced_at > (
                select max(built.synced_at) from {{ this }} as built
            )
            or (select rule_set.rules_checksum from rule_set)
            is distinct from (
                select max(built.rules_checksum) from {{ this }} as built
            )
    {%- endif %}
),

violations as (
    {{ lead_rule_violations('changed_leads', 'rules') }}
),

broken_rules as (
    select
        lead_id,
        count(*) as issue_count,
    {%- for lead_field in checked_fields %}
        {{ summarize_broken_rules(lead_field) }}
        {{- ',' if not loop.last }}
    {%- endfor %}
    from violations
    group by lead_id
),

conformed as (
    select
        changed_leads.lead_id,
        changed_leads.user_id,
        {%- for f in checked_fields %}
            {{ conform_value(f, 'changed_leads.' ~ f.column) }}
                as {{ f.column }},
        {%- endfor %}
        changed_leads.campaign_id,
        changed_leads.custom_fields,
        changed_leads.created_at,
        changed_leads.modified_at,
        changed_leads.status_modified_at,
        changed_leads.owner_modified_at,
        changed_leads.salesrabbit_url,
        changed_leads.is_deleted,
        coalesce(broken.issue_count, 0) > 0 as has_issues,
        coalesce(broken.issue_count, 0) as issue_count,
        changed_leads.synced_at,
        '{{ run_started_at }}'::timestamptz as checked_at,
        (select rule_set.rules_checksum from rule_set) as rules_checksum
    from changed_leads
    left join broken_rules as broken
        on changed_leads.lead_id = broken.lead_id
)

select * from conformed
