"""The roles, the whole set. Views name the ones they allow."""

ADMIN = "admin"
INSPECTOR = "inspector"
ALLOCATION_OFFICER = "allocation_officer"
FACILITY_MANAGER = "facility_manager"

ROLES = (ADMIN, INSPECTOR, ALLOCATION_OFFICER, FACILITY_MANAGER)
