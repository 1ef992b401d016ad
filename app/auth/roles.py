"""The roles, the whole set. Views name the ones they allow."""

ADMIN = "admin"
INSPECTOR = "inspector"
ALLOCATION_OFFICER = "allocation_officer"
FACILITY_MANAGER = "facility_manager"

ROLES = (ADMIN, INSPECTOR, ALLOCATION_OFFICER, FACILITY_MANAGER)

# Who may read applicant households (and so exact waiting counts). Every other role gets
# only aggregates with counts below 5 suppressed, and nothing computed from such counts.
APPLICANT_READERS = (ADMIN, ALLOCATION_OFFICER)
