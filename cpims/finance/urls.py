from django.urls import path

from cpims.finance import views, views_budget, views_planning, views_reference

app_name = "finance"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("costs/", views.costs_view, name="costs"),
    path("gap/", views.gap_view, name="gap"),
    path("budget/", views_budget.budget_list, name="budget_list"),
    path("budget/new/", views_budget.budget_edit, name="budget_new"),
    path("budget/<int:pk>/", views_budget.budget_edit, name="budget_edit"),
    path("budget/<int:pk>/delete/", views_budget.budget_delete, name="budget_delete"),
    path("import/<slug:kind>/", views_budget.import_view, name="import"),
    path("import/<slug:kind>/template.csv", views_budget.import_template, name="import_template"),
    path("unit-costs/", views_reference.unit_costs, name="unit_costs"),
    path("unit-costs/new/", views_reference.unit_cost_edit, name="unit_cost_new"),
    path("unit-costs/<int:pk>/", views_reference.unit_cost_edit, name="unit_cost_edit"),
    path("multipliers/new/", views_reference.multiplier_edit, name="multiplier_new"),
    path("multipliers/<int:pk>/", views_reference.multiplier_edit, name="multiplier_edit"),
    path("reference/", views_reference.reference, name="reference"),
    path("population/new/", views_reference.population_edit, name="population_new"),
    path("population/<int:pk>/", views_reference.population_edit, name="population_edit"),
    path("totals/new/", views_reference.total_edit, name="total_new"),
    path("totals/<int:pk>/", views_reference.total_edit, name="total_edit"),
    path("scenarios/", views_planning.scenario_list, name="scenario_list"),
    path("scenarios/new/", views_planning.scenario_new, name="scenario_new"),
    path("scenarios/compare/", views_planning.scenario_compare, name="scenario_compare"),
    path("scenarios/<int:pk>/", views_planning.scenario_detail, name="scenario_detail"),
    path("scenarios/<int:pk>/edit/", views_planning.scenario_edit, name="scenario_edit"),
    path("scenarios/<int:pk>/export.xlsx", views_planning.scenario_export, name="scenario_export"),
    path("allocations/", views_planning.allocation_list, name="allocation_list"),
    path("allocations/new/", views_planning.allocation_new, name="allocation_new"),
    path("allocations/<int:pk>/", views_planning.allocation_detail, name="allocation_detail"),
    path(
        "allocations/<int:pk>/delete/",
        views_planning.allocation_delete,
        name="allocation_delete",
    ),
]
