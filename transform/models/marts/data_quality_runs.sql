{{
    config(
        materialized='incremental',
        unique_key=['run_id', 'field', 'rule'],
        incremental_strategy='delete+insert',
        full_refresh=false,
    )
}}

with

rules as (
    select * from {{ ref('lead_field_rules') }}
),

issues as (
    select * from {{ ref('lead_issues') }}
),

leads as (
    select * from {{ ref('leads') }}
),

issue_counts as (
    select
        field,
        rule,
        count(*) as issue_count
    from issues
    group by field, rule
),

lead_counts as (
    select
        count(*) as leads_checked,
        count(*) filter (where has_issues) as leads_with_issues
    from leads
    where not is_deleted
),

this_run as (
    select
        '{{ invocation_id }}' as run_id,
        '{{ run_started_at }}'::timestamptz as run_started_at,
        rules.field,
        rules.rule,
        coalesce(issue_counts.issue_count, 0) as issue_count,
        lead_counts.leads_checked,
        lead_counts.leads_with_issues
    from rules
    left join issue_counts
        on
            rules.field = issue_counts.field
            and rules.rule = issue_counts.rule
    cross join lead_counts
)

select * from this_run
