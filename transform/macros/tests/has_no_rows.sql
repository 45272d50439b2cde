{#-
    Fails (or warns, see `strict_validation`) when the model has any row:
    for relations that list problems, such as `lead_issues`.
-#}
{% test has_no_rows(model) %}
    {{ config(severity=data_problem_severity()) }}

select * from {{ model }}
{% endtest %}
