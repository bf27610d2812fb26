/** Names the large data set is made of (invented companies and people). */

export const ORGANIZATION_NAMES: readonly { name: string; slug: string }[] = [
  { name: 'Northwind Traders', slug: 'northwind' },
  { name: 'Contoso Group', slug: 'contoso' },
  { name: 'Fabrikam Industries', slug: 'fabrikam' },
  { name: 'Tailspin Logistics', slug: 'tailspin' },
  { name: 'Woodgrove Bank', slug: 'woodgrove' },
  { name: 'Litware Insurance', slug: 'litware' },
  { name: 'Adventure Works', slug: 'adventure-works' },
  { name: 'Proseware Legal', slug: 'proseware' },
  { name: 'Wingtip Energy', slug: 'wingtip' },
  { name: 'Lucerne Publishing', slug: 'lucerne' },
  { name: 'Margie Travel', slug: 'margie-travel' },
  { name: 'Alpine Ski House', slug: 'alpine-ski-house' },
  { name: 'Coho Winery', slug: 'coho-winery' },
  { name: 'Fourth Coffee', slug: 'fourth-coffee' },
  { name: 'Blue Yonder Airlines', slug: 'blue-yonder' },
  { name: 'Graphic Design Institute', slug: 'graphic-design' },
  { name: 'Humongous Insurance', slug: 'humongous' },
  { name: 'Trey Research', slug: 'trey-research' },
  { name: 'Wide World Importers', slug: 'wide-world' },
  { name: 'Southridge Video', slug: 'southridge' },
  { name: 'City Power and Light', slug: 'city-power' },
  { name: 'Consolidated Messenger', slug: 'consolidated' },
  { name: 'Relecloud', slug: 'relecloud' },
  { name: 'VanArsdel Ltd', slug: 'vanarsdel' },
];

/** Department root folders and the areas below them (sibling names are unique). */
export const DEPARTMENTS: readonly { name: string; areas: readonly string[] }[] = [
  { name: 'Finance', areas: ['Accounts Payable', 'Accounts Receivable', 'Tax', 'Treasury'] },
  { name: 'Legal', areas: ['Contracts', 'Litigation', 'Compliance', 'Corporate'] },
  { name: 'Human Resources', areas: ['Payroll', 'Recruiting', 'Personnel Files', 'Benefits'] },
  { name: 'Operations', areas: ['Suppliers', 'Quality', 'Maintenance', 'Planning'] },
  { name: 'Sales', areas: ['Orders', 'Quotes', 'Customers', 'Returns'] },
  { name: 'Procurement', areas: ['Purchase Orders', 'Tenders', 'Vendors', 'Delivery Notes'] },
  { name: 'IT', areas: ['Licenses', 'Hardware', 'Security', 'Projects'] },
  { name: 'Facilities', areas: ['Leases', 'Utilities', 'Cleaning', 'Insurance'] },
  { name: 'Customer Service', areas: ['Complaints', 'Claims', 'Warranty', 'Feedback'] },
  { name: 'Marketing', areas: ['Campaigns', 'Agencies', 'Events', 'Brand'] },
  { name: 'Logistics', areas: ['Shipping', 'Customs', 'Warehousing', 'Carriers'] },
  { name: 'Management', areas: ['Board', 'Strategy', 'Audit', 'Investors'] },
];

export const QUARTERS: readonly string[] = ['Q1', 'Q2', 'Q3', 'Q4'];

export const DOCUMENT_TYPES: readonly { name: string; retentionDays: number | null }[] = [
  { name: 'Invoice', retentionDays: 3650 },
  { name: 'Letter', retentionDays: null },
  { name: 'Contract', retentionDays: 3650 },
  { name: 'Receipt', retentionDays: 2555 },
  { name: 'Purchase order', retentionDays: 2555 },
  { name: 'Delivery note', retentionDays: 1095 },
  { name: 'Credit note', retentionDays: 3650 },
  { name: 'Bank statement', retentionDays: 3650 },
  { name: 'Payslip', retentionDays: 1825 },
  { name: 'Tax notice', retentionDays: 3650 },
  { name: 'Insurance policy', retentionDays: null },
  { name: 'Claim form', retentionDays: 1825 },
  { name: 'Court filing', retentionDays: null },
  { name: 'Quote', retentionDays: 730 },
  { name: 'Complaint', retentionDays: 1095 },
  { name: 'Medical certificate', retentionDays: 730 },
];

// prettier-ignore
export const FIRST_NAMES: readonly string[] = [
  'Anna', 'Ben', 'Clara', 'David', 'Elena', 'Felix', 'Grace', 'Hugo', 'Ines', 'Jonas',
  'Karin', 'Lukas', 'Maria', 'Nils', 'Olivia', 'Paul', 'Quinn', 'Rosa', 'Samir', 'Tara',
  'Umar', 'Vera', 'Walter', 'Xenia', 'Yusuf', 'Zoe', 'Amir', 'Beatrice', 'Carlos', 'Dana',
  'Emil', 'Fatima', 'Georg', 'Hannah', 'Ivan', 'Julia', 'Kofi', 'Lena', 'Marco', 'Nora',
];

// prettier-ignore
export const LAST_NAMES: readonly string[] = [
  'Adler', 'Berger', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hansen', 'Ibrahim',
  'Jensen', 'Keller', 'Lang', 'Martin', 'Novak', 'Olsen', 'Peters', 'Quist', 'Rossi',
  'Schmidt', 'Tanaka', 'Ulrich', 'Vogel', 'Weber', 'Yilmaz', 'Zimmermann', 'Moreau',
  'Kowalski', 'Silva', 'Nielsen', 'Brandt', 'Horvat', 'Lindqvist', 'Okafor',
];

// prettier-ignore
export const MAIL_SUBJECTS: readonly string[] = [
  'Invoice', 'Payment reminder', 'Contract draft', 'Order confirmation', 'Delivery note',
  'Tax assessment', 'Insurance renewal', 'Claim', 'Complaint', 'Account statement',
  'Quote request', 'Termination notice', 'Court summons', 'Change of address', 'Payslip query',
];

// prettier-ignore
export const MAIL_SENDERS: readonly string[] = [
  'billing@supplier.example', 'accounts@wholesale.example', 'noreply@bank.example',
  'legal@partner.example', 'claims@insurer.example', 'service@utility.example',
  'hr@payroll.example', 'office@taxauthority.example', 'orders@customer.example',
  'info@courier.example', 'support@software.example', 'contact@landlord.example',
];
