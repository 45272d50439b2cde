{{
    config(
        materialized='incremental',
        unique_key='lead_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        indexes=[{'columns': ['lead_id']}],
        post_hook="{{ delete_resolved_lead_issues() }}",
    )
}}

with

leads as (
    select * from {{ ref('leads') }}
),

staged_leads as (
    select * from {{ ref('stg_salesrabbit__leads') }}
),

rules as (
    select * from {{ ref('lead_field_rules') }}
),

leads_to_report as (
    -- Leads with problems whose rows here are missing or older than the
    -- lead's last check. The post-hook removes the rows of leads without
    -- problems.
    select
        leads.lead_id,
        leads.salesrabbit_url,
        leads.modified_at,
        leads.checked_at
    from leads
    where
        leads.has_issues
        and not leads.is_deleted
        {%- if is_incremental() %}
            and not exists (
                select 1
                from {{ this }} as reported
                where
                    reported.lead_id = leads.lead_id
                    and reported.checked_at = leads.checked_at
            )
        {%- endif %}
),

leads_to_check as materialized (
    -- Their staged rows, computed first so that the rules run on them only.
    select staged_leads.*
    from staged_leads
    inner join leads_to_report
        on staged_leads.lead_id = leads_to_report.lead_id
),

violations as (
    {{ lead_rule_violations('leads_to_check', 'rules') }}
),

issues as (
    select
        violations.lead_id,
        violations.field,
        violations.rule,
        {{ shorten_text(
            'violations.value', var('issue_value_max_characters')
        ) }} as value,
        violations.detail,
        violations.limit_value,
        leads_to_report.salesrabbit_url,
        leads_to_report.modified_at as lead_modified_at,
        leads_to_report.checked_at
    from violations
    inner join leads_to_report
        on violations.lead_id = leads_to_report.lead_id
)

select * from issues
